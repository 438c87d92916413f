"""The database: tables, migrations, and the engine every store uses (SQLite by default)."""
