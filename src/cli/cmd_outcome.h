/*
 * cmd_outcome.h: the commands of outcomes and statutory deadlines
 * (issue 7): senco results and senco attendance (cmd_outcome.c), and
 * senco ehc (cmd_ehc.c). Listed in cli.c's command table; the reports
 * built on them (gap, attendance, and EHC plans beside reviews) are in
 * cmd_report.c.
 */
#ifndef SENCO_CMD_OUTCOME_H
#define SENCO_CMD_OUTCOME_H

#include "cli/cli.h"

extern const struct cli_command cli_cmd_results, cli_cmd_attendance,
    cli_cmd_ehc;

#endif
