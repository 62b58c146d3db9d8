"""The reply templates: found, compiled once at start-up, and rendered with clear errors.

Templates live in the ``reply_templates`` package (found through importlib.resources, so it
works from a wheel installed anywhere) or, for tests and local overrides, in a directory.
A template is named after the intent it answers, ``<intent>.j2``, with an optional variant
per platform, ``<intent>.<platform>.j2``; shared pieces live in ``_partials/``.

Every macro of ``_partials/`` can be called by name in every template, no import needed:
``{{ greeting() }}``. A parameter the call leaves out is the template's variable of the same
name (``first_name``, ``platform``...), so a partial lists what it reads as its parameters.
Why not ``{% from ... import ... with context %}``: Jinja builds the imported template's
module again on every render for that, which was most of the cost of drafting a reply.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import Context, Macro
from jinja2.utils import missing

from bot.domain import ANSWERABLE_PLATFORMS, NO_DRAFT_INTENTS, Intent, Platform
from bot.errors import TemplateError
from bot.reply.whitespace import normalise_whitespace

TEMPLATE_PACKAGE = "reply_templates"
SUFFIX = ".j2"
PARTIALS = "_partials/"

DRAFTED_INTENTS = tuple(i for i in Intent if i not in NO_DRAFT_INTENTS)


def template_name(intent: Intent, platform: Platform | None = None) -> str:
    if platform is None:
        return f"{intent.value}{SUFFIX}"
    return f"{intent.value}.{platform.value}{SUFFIX}"


class TemplateSet:
    """Every reply template, compiled. Raises TemplateError at once if any is unusable."""

    def __init__(self, directory: Path | None = None) -> None:
        self._environment = _environment(directory)
        self._templates: dict[str, jinja2.Template] = {}
        for name in self._environment.list_templates(filter_func=_is_template):
            self._check_name(name)
            try:
                self._templates[name] = self._environment.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                where = exc.name or name
                raise TemplateError(
                    f"reply template '{where}' line {exc.lineno}: {exc.message}"
                ) from None
        self._share_partials()
        for intent in DRAFTED_INTENTS:
            if template_name(intent) not in self._templates:
                raise TemplateError(
                    f"reply template '{template_name(intent)}' is missing "
                    f"(every intent that gets a draft needs one)"
                )

    def _share_partials(self) -> None:
        """Make every partial's macros globals of the environment, built once."""
        for name, template in self._templates.items():
            if not name.startswith(PARTIALS):
                continue
            try:
                module = template.module
            except Exception as exc:
                raise TemplateError(
                    f"reply template '{name}'{_line_of(exc)} does not load: {exc}"
                ) from None
            for value in vars(module).values():
                if isinstance(value, Macro):
                    self._environment.globals[value.name] = _filled_from_context(value)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._templates)

    def choose(self, intent: Intent, platform: Platform) -> str:
        """The platform's own variant if there is one, else the intent's template."""
        variant = template_name(intent, platform)
        return variant if variant in self._templates else template_name(intent)

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        template = self._templates.get(name)
        if template is None:
            raise TemplateError(f"reply template '{name}' does not exist")
        try:
            text = template.render(context)
        # A template is data that staff edit: whatever goes wrong inside it (an undefined
        # name, a filter on the wrong type...) is that template's fault, reported as such.
        except Exception as exc:
            raise TemplateError(
                f"reply template '{name}'{_line_of(exc)} does not render: {exc}"
            ) from None
        return normalise_whitespace(text)

    @staticmethod
    def _check_name(name: str) -> None:
        if name.startswith(PARTIALS):
            return
        stem = name.removesuffix(SUFFIX)
        intent_value, _, platform_value = stem.partition(".")
        drafted = {i.value for i in DRAFTED_INTENTS}
        answerable = {p.value for p in ANSWERABLE_PLATFORMS}
        if intent_value not in drafted or (platform_value and platform_value not in answerable):
            raise TemplateError(
                f"reply template '{name}' is not named after an intent that gets a draft "
                f"({', '.join(sorted(drafted))}) and optionally a platform we reply on "
                f"({', '.join(sorted(answerable))}), like 'emergency.twitter.j2'"
            )


def _filled_from_context(macro: Macro) -> Callable[..., str]:
    """``macro`` callable from any template; parameters not passed come from the caller's
    variables of the same name (else the macro's default, else undefined: an error)."""

    @jinja2.pass_context
    def call(context: Context, *args: Any, **kwargs: Any) -> str:
        for parameter in macro.arguments[len(args) :]:
            if parameter not in kwargs:
                value = context.resolve_or_missing(parameter)
                if value is not missing:
                    kwargs[parameter] = value
        return macro(context.eval_ctx, *args, **kwargs)

    return call


def _is_template(name: str) -> bool:
    return name.endswith(SUFFIX)


def _environment(directory: Path | None) -> jinja2.Environment:
    return jinja2.Environment(
        loader=_loader(directory),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # drafts are plain text, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )


def _loader(directory: Path | None) -> jinja2.BaseLoader:
    if directory is not None:
        if not directory.is_dir():
            raise TemplateError(f"reply template directory '{directory}' does not exist")
        return jinja2.FileSystemLoader(directory)
    package = resources.files(TEMPLATE_PACKAGE)
    if isinstance(package, Path):
        return jinja2.FileSystemLoader(package)
    # Installed inside a zip: PackageLoader reads straight from the archive.
    return jinja2.PackageLoader(TEMPLATE_PACKAGE, ".")


def _line_of(exc: BaseException) -> str:
    """' (file.j2 line 3)' when the traceback reaches into a template file."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(SUFFIX):
            return f" ({Path(frame.filename).name} line {frame.lineno})"
    return ""
