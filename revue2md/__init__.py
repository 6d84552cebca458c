"""revue2md: move a Revue newsletter archive into a Hugo site."""

import importlib
import importlib.util
import sys
import types

__version__ = "0.1.0"


class _OnFirstUse(types.ModuleType):
    """Stands in for a module until one of its attributes is read, then imports it for real.

    BeautifulSoup imports soupsieve (CSS selectors, which revue2md never uses) and
    charset_normalizer (only for bytes that are not UTF-8) as it is imported itself: tens of
    milliseconds of every start. With this stand-in both work exactly as before, loaded the
    first time they are used. (`importlib.util.LazyLoader` does not help: a plain `import`
    statement reads `__spec__`, which loads the module.)
    """

    def __init__(self, name: str):
        super().__init__(name)
        self.__spec__ = None

    def __getattr__(self, attribute: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        self.__dict__.update({key: value for key, value in vars(real).items() if key != "__spec__"})
        return getattr(real, attribute)


def _defer(name: str) -> None:
    if name not in sys.modules and importlib.util.find_spec(name) is not None:
        sys.modules[name] = _OnFirstUse(name)


for _name in ("soupsieve", "charset_normalizer"):
    _defer(_name)
