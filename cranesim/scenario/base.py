"""The building blocks of the scenario schema: the strict base model and the common field types.

:class:`Model` forbids unknown keys, coerces nothing (``"90"`` is not a number), and is frozen;
its ``model_copy(update=...)`` validates, unlike pydantic's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cranesim.scenario.overrides import config_error

__all__ = ["Model", "PosFloat", "NonNegFloat", "Fraction", "Coord"]

PosFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Coord = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)]


class Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy; with ``update`` (field name -> value), validated as a file is.

        pydantic's own ``model_copy(update=...)`` does not validate, so a copy could hold
        ``rate_t_h = -5``; here it raises :class:`~cranesim.errors.ConfigError`.  To change
        nested keys, :meth:`Scenario.derive` takes dotted paths.
        """
        if not update:
            return super().model_copy(deep=deep)
        data = {k: getattr(self, k) for k in type(self).model_fields}
        data.update(update)
        try:
            new = type(self).model_validate(data)
        except ValidationError as err:
            name = type(self).__name__
            labels = {k: f"{name}.model_copy({k}={v!r})" for k, v in update.items()}
            raise config_error(
                getattr(self, "_source", name), err, labels, data, type(self)
            ) from None
        if self.__pydantic_private__:
            new.__pydantic_private__ = dict(self.__pydantic_private__)
        return new
