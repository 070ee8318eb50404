/* cmd_cycle.c: to be written. */
#include "cli/cli.h"
