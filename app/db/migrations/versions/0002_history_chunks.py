"""history in chunks appended at each checkpoint, instead of one column rewritten each time

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    runs = sa.table("runs", sa.column("id", sa.String), sa.column("epoch", sa.Integer), sa.column("history", sa.JSON))
    saved = connection.execute(sa.select(runs.c.id, runs.c.epoch, runs.c.history)).all()
    # SQLite drops a column by copying the table; do it before any row points at the table.
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("history")
    chunks = op.create_table(
        "history_chunks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("stop", sa.Integer(), nullable=False),
        sa.Column("logs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_history_chunks_run_id", "history_chunks", ["run_id"])
    rows = [
        {"run_id": i, "start": 0, "stop": epoch, "logs": history} for i, epoch, history in saved if history and epoch
    ]
    if rows:
        op.bulk_insert(chunks, rows)


def downgrade() -> None:
    op.drop_index("ix_history_chunks_run_id", "history_chunks")
    op.drop_table("history_chunks")
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("history", sa.JSON(), nullable=True))
