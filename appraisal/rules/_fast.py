"""A faster `__init__` for the engine's frozen slots dataclasses (same signature, same object).

A frozen dataclass sets each field through `object.__setattr__`, a global lookup and a
generic call per field. The engine builds a few of these per subject (a rating, its score
sheet, its reasons), hundreds of thousands per run, so that cost shows. Calling each slot's
own descriptor does the same assignment in about half the time. The class stays a frozen
dataclass: `__eq__`, `__hash__`, `__repr__`, `replace()` and `FrozenInstanceError` on
assignment are unchanged.
"""

from __future__ import annotations

import dataclasses


def fast_init(cls: type) -> type:
    """Replace a frozen slots dataclass's `__init__` with one that sets the slots directly."""
    if not cls.__dataclass_params__.frozen or "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: fast_init needs a frozen slots dataclass without __post_init__")
    namespace: dict[str, object] = {}
    args, body = [], []
    for field in dataclasses.fields(cls):
        if not field.init or field.kw_only or field.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{field.name}: fast_init supports plain fields only")
        namespace[f"_set_{field.name}"] = cls.__dict__[field.name].__set__
        if field.default is dataclasses.MISSING:
            args.append(field.name)
        else:
            namespace[f"_default_{field.name}"] = field.default
            args.append(f"{field.name}=_default_{field.name}")
        body.append(f"    _set_{field.name}(self, {field.name})")
    source = f"def __init__(self, {', '.join(args)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # noqa: S102 - generated from field names, as dataclasses itself does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init
    return cls
