revision = 'c1'
down_revision = 'b1'
def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('x', sa.Integer(), nullable=False, server_default=sa.text('0')))
        batch_op.alter_column('email', existing_type=sa.VARCHAR(length=255), type_=sa.Text(), nullable=False)
        batch_op.create_index(batch_op.f('ix_users_x'), ['x'], unique=True)
    op.create_foreign_key(None, 'orders', 'users', ['user_id'], ['id'], postgresql_not_valid=True)
    op.execute(sa.text("DELETE FROM users"))  # revgraph: ignore[unbounded-data-change] test data
    conn = op.get_bind()
    conn.execute(sa.text("update users set x = 1"))
def downgrade():
    raise NotImplementedError()
