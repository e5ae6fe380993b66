#!/usr/bin/env bash
# `make demo`: a demo district on SQLite, one month run end to end, payslips and ledgers.
set -euo pipefail
cd "$(dirname "$0")/.."
PAYROLL=.venv/bin/payroll
DEMO=demo-out
MONTH=2025-03
BY="데모 관리자"

rm -rf "$DEMO"
mkdir -p "$DEMO"
export PAYROLL_DATABASE_URL="sqlite:///$DEMO/payroll.db"
export PAYROLL_OUTPUT_DIR="$DEMO/out"
# Resident registration numbers are stored encrypted; the demo uses a throwaway key.
export PAYROLL_RRN_KEY="${PAYROLL_RRN_KEY:-$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}"

echo "== 1. Database and catalog"
$PAYROLL init
echo "== 2. Roster, history and $MONTH attendance of a demo district"
$PAYROLL demo --participants 40 --districts 1 --seed 7 --month "$MONTH" --out "$DEMO/input"
echo "== 3. Calculate, approve and finalize $MONTH"
$PAYROLL run calculate --month "$MONTH" --by "$BY"
for run in $($PAYROLL run list --month "$MONTH" --json | .venv/bin/python -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(sys.stdin)))'); do
  $PAYROLL run approve "$run" --by "$BY"
  $PAYROLL run finalize "$run" --by "$BY"
done
echo "== 4. Payslips (PDF) and print files"
$PAYROLL payslips --month "$MONTH"
echo "== 5. City/district cost-sharing ledger and reconciliation"
$PAYROLL ledger --month "$MONTH" --format xlsx --out "$DEMO/out/ledger-$MONTH.xlsx"
$PAYROLL ledger --month "$MONTH" --format csv --out "$DEMO/out/ledger-$MONTH.csv"
$PAYROLL reconcile --month "$MONTH"

echo
echo "Demo done. Everything is in $DEMO/:"
echo "  database         $DEMO/payroll.db  (PAYROLL_DATABASE_URL=sqlite:///$DEMO/payroll.db)"
echo "  import files     $DEMO/input/"
echo "  payslips         $DEMO/out/$MONTH/<district>/<program>/<participant>.pdf"
echo "  print files      $DEMO/out/$MONTH/<district>/<program>/print-*.pdf"
echo "  payment files    $DEMO/out/$MONTH/<district>/<program>/payment.csv, register.xlsx"
echo "  ledgers          $DEMO/out/ledger-$MONTH.xlsx, $DEMO/out/ledger-$MONTH.csv"
