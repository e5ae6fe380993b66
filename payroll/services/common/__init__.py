"""What every use case shares: the acting user and access checks, the audit log, names for codes,
caps on free text, the CLI's ``--by`` identity."""
