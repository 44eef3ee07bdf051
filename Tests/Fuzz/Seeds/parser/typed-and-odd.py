revision: str = "c1"
down_revision: Union[str, Sequence[str], None] = ((("a1",),),)
depends_on = "m1"
ÿrevision = f"{x}"
down_revision = globals()["y"]
ÿï»¿revision = "bom"
down_revision = None
