"""fouress_eval — evaluation of Swedish return-to-work and sick-leave-prevention interventions."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fouress_eval")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

from .config import Settings, get_settings  # noqa: E402
from .errors import InputError  # noqa: E402

__all__ = ["__version__", "Settings", "get_settings", "InputError"]
