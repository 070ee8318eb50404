/* cmd_intervention.c: to be written. */
#include "cli/cli.h"
