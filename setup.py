"""Builds the compiled reader of the SME register (everything else is in
pyproject.toml)."""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [
            Extension(
                "creative_regions.registry._register_xml",
                ["src/creative_regions/registry/_register_xml.pyx"],
                libraries=["expat"],
            )
        ],
        compiler_directives={"language_level": "3"},
    )
)
