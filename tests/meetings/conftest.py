import pytest


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    """The plan with what `load_demo` adds to it (meetings included), for this module."""
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan
