"""Build the optional C kernel of the business calendar (everything else is in pyproject.toml).

`optional=True`: without a C compiler the install still succeeds and the calendar uses its
numpy path, which computes the same results (the property tests run both).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "mittari.engine._calkernel",
            ["src/mittari/engine/_calkernel.c"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)
