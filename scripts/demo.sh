#!/usr/bin/env bash
# `make demo`: a demo district on SQLite, one month run end to end, payslips and ledgers.
set -euo pipefail
cd "$(dirname "$0")/.."
PAYROLL=.venv/bin/payroll
DEMO=demo-out
MONTH=2025-03
CLERK="데모 담당"
MANAGER="데모 팀장"
MANAGER2="데모 팀장2"

rm -rf "$DEMO"
mkdir -p "$DEMO"
export PAYROLL_DATABASE_URL="sqlite:///$DEMO/payroll.db"
export PAYROLL_OUTPUT_DIR="$DEMO/out"
# Resident registration numbers are stored encrypted; the demo uses a throwaway key.
export PAYROLL_RRN_KEY="${PAYROLL_RRN_KEY:-$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}"
# The city-wide person key (docs/security.md): a secret of its own, not the RRN key.
export PAYROLL_PERSON_KEY="${PAYROLL_PERSON_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')}"

# The demo's settings, keys included, for the web console and later commands (owner-only).
( umask 077; cat > "$DEMO/demo.env" <<ENV
PAYROLL_DATABASE_URL=$PAYROLL_DATABASE_URL
PAYROLL_OUTPUT_DIR=$PAYROLL_OUTPUT_DIR
PAYROLL_RRN_KEY=$PAYROLL_RRN_KEY
PAYROLL_PERSON_KEY=$PAYROLL_PERSON_KEY
ENV
)

echo "== 1. Database and catalog"
$PAYROLL init
echo "== 2. Roster, history and $MONTH attendance of a demo district"
$PAYROLL demo --participants 40 --districts 1 --seed 7 --month "$MONTH" --out "$DEMO/input"
echo "== 3. Calculate, approve and finalize $MONTH"
# Separation of duties: who calculates does not approve, who approves does not finalize.
$PAYROLL run calculate --month "$MONTH" --by "$CLERK"
for run in $($PAYROLL run list --month "$MONTH" --json | .venv/bin/python -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(sys.stdin)))'); do
  $PAYROLL run approve "$run" --by "$MANAGER"
  $PAYROLL run finalize "$run" --by "$MANAGER2"
done
echo "== 4. Payslips (PDF) and print files"
$PAYROLL payslips --month "$MONTH"
echo "== 5. City/district cost-sharing ledger and reconciliation"
$PAYROLL ledger --month "$MONTH" --format xlsx --out "$DEMO/out/ledger-$MONTH.xlsx"
$PAYROLL ledger --month "$MONTH" --format csv --out "$DEMO/out/ledger-$MONTH.csv"
$PAYROLL reconcile --month "$MONTH"

echo "== 6. Web console users, one per role (one-time passwords, changed at first login)"
DISTRICT=$($PAYROLL run list --month "$MONTH" --json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)[0]["district"])')
$PAYROLL user add demo.clerk --role district_clerk -d "$DISTRICT" --name "$CLERK" --by demo
$PAYROLL user add demo.manager --role district_manager -d "$DISTRICT" --name "$MANAGER" --by demo
$PAYROLL user add demo.manager2 --role district_manager -d "$DISTRICT" --name "$MANAGER2" --by demo
$PAYROLL user add demo.finance --role finance --name "데모 재무" --by demo
$PAYROLL user add demo.admin --role city_admin --name "데모 시 관리자" --by demo

echo
echo "Demo done. Everything is in $DEMO/:"
echo "  database         $DEMO/payroll.db  (PAYROLL_DATABASE_URL=sqlite:///$DEMO/payroll.db)"
echo "  import files     $DEMO/input/"
echo "  payslips         $DEMO/out/$MONTH/<district>/<program>/<participant>.pdf"
echo "  print files      $DEMO/out/$MONTH/<district>/<program>/print-*.pdf"
echo "  payment files    $DEMO/out/$MONTH/<district>/<program>/payment.csv, register.xlsx"
echo "  ledgers          $DEMO/out/ledger-$MONTH.xlsx, $DEMO/out/ledger-$MONTH.csv"
echo "  settings, keys   $DEMO/demo.env  (the demo's throwaway keys; keep a real city's keys safe)"
echo
echo "Web console (log in with a user above; the one-time password is changed at first login):"
echo "  set -a; . $DEMO/demo.env; set +a; $PAYROLL web"
echo "  then open http://127.0.0.1:8000/"
