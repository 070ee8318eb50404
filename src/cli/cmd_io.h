/*
 * cmd_io.h: the commands that move data in and out of the caseload:
 * senco import (MIS pupil lists and Common Transfer Files) and senco
 * export (spreadsheets and the SEN part of a CTF). Defined in
 * cmd_import.c and cmd_export.c; listed in cli.c's command table.
 */
#ifndef SENCO_CMD_IO_H
#define SENCO_CMD_IO_H

#include "cli/cli.h"

extern const struct cli_command cli_cmd_import, cli_cmd_export;

#endif
