"""danger"""
from alembic import op
import sqlalchemy as sa
from myapp.models import User

revision = 'b1'
down_revision = 'a1'


def upgrade():
    op.add_column('users', sa.Column('age', sa.Integer(), nullable=False))
    op.drop_column('users', 'name')
    op.add_column('users', sa.Column('full_name', sa.String(50)))
    op.alter_column('users', 'email', nullable=False)
    op.alter_column('users', 'email', type_=sa.String(100))
    op.create_index('ix_users_age', 'users', ['age'])
    op.create_index('ix_users_age2', 'users', ['age'], postgresql_concurrently=True)
    with op.get_context().autocommit_block():
        op.create_index('ix_users_age3', 'users', ['age'], postgresql_concurrently=True)
    op.create_foreign_key('fk_x', 'orders', 'users', ['user_id'], ['id'])
    op.create_unique_constraint('uq_email', 'users', ['email'])
    op.execute("UPDATE users SET age = 0")
    op.drop_table('orders')  # revgraph: ignore[drop-table] orders move to another service
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('age')


def downgrade():
    pass
