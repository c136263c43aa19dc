"""Excel in and out: the template, the import (validate all, then apply all) and the export."""
