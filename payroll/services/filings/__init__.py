"""The month's filings (신고 자료): what they read, how they are built and written,
the scheduled ones."""
