import pytest
from django.urls import reverse

from tests.roles import make_demo_user

PASSWORD = "a-long-test-passphrase"


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def administrator(plan):
    """A plan administrator with staff status: by default their role requires a second factor."""
    return with_password(make_demo_user("administrator", username="secretariat", is_staff=True))


@pytest.fixture
def liaison(plan):
    """A ministry liaison: by default free to use a second factor or not."""
    return with_password(make_demo_user("liaison_cofepris", username="cofepris-liaison"))


@pytest.fixture
def sign_in(client):
    """The password step, through the sign-in page."""

    def post(user, password=PASSWORD, next_url=None):
        data = {"username": user.username, "password": password}
        if next_url:
            data["next"] = next_url
        return client.post(reverse("login"), data)

    return post
