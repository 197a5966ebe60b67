"""What the README tells a reader to do about Heroku is what the repository does: the Deploy
button deploys the reader's own fork, and the Apple Silicon advice asks for the platform the
make target builds for."""

import re

from tests.support.environment import REPO
from tests.support.makefile import image_builds

README = (REPO / "README.md").read_text()
BUTTON = (
    "[![Deploy to Heroku](https://www.herokucdn.com/deploy/button.svg)](https://heroku.com/deploy)"
)


def test_the_deploy_button_deploys_the_repository_the_visitor_came_from():
    # https://heroku.com/deploy with no `template` parameter deploys the referring repository,
    # so the button works from every fork; a template would pin one repository for all of them.
    assert README.count(BUTTON) == 1
    links = re.findall(r"https?://(?:www\.)?heroku\.com/deploy[^\s)`\]]*", README)
    assert set(links) == {"https://heroku.com/deploy"}, links


def apple_silicon_advice():
    """The Container Registry section's Apple Silicon item, its lines joined."""
    item = re.search(r"^- \*\*Apple Silicon\.\*\*.*?(?=^- |^$)", README, re.MULTILINE | re.DOTALL)
    assert item, "the README has no Apple Silicon item"
    return " ".join(item[0].split())


def test_the_apple_silicon_advice_asks_for_the_platform_the_make_target_builds_for():
    [platform] = {platform for build in image_builds() for platform in build["--platform"]}
    advice = apple_silicon_advice()
    assert f"The make target asks for `{platform}` itself" in advice
    assert f"`DOCKER_DEFAULT_PLATFORM={platform}`" in advice
    # Wherever else the README gives the variable (troubleshooting), it is the same platform.
    assert set(re.findall(r"DOCKER_DEFAULT_PLATFORM=([\w/]+)", README)) == {platform}
