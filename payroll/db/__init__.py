"""Database adapter: SQLAlchemy models, engine and the stores the services use."""
