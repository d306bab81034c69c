"""Only here to map the top-level `policies/` folder into the package as `xborder.policies`.

pyproject.toml cannot combine package discovery with an extra mapped package; everything else is there.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("src"), "xborder.policies"],
    package_dir={"": "src", "xborder.policies": "policies"},
)
