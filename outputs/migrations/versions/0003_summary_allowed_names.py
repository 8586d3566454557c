"""summaries remember the names they carry on purpose

The delivered DOCX is written by ``redact.write_summary_docx``, which reads the file back and
runs the leak check on it; that check needs the names the summary is allowed to carry (the
child, the subject's record reference, children's services staff). A summary may be
delivered long after it was composed (a person matches the child), so they are stored.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('summaries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allowed', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('summaries', schema=None) as batch_op:
        batch_op.drop_column('allowed')
