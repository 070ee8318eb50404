/*
 * cmd_report.h: the commands that turn the caseload into documents:
 * senco report (figures for governors, the trust and the cluster panel)
 * and senco plan (one pupil's SEN support plan to share with parents).
 * Defined in cmd_report.c and cmd_plan.c; listed in cli.c's command
 * table.
 */
#ifndef SENCO_CMD_REPORT_H
#define SENCO_CMD_REPORT_H

#include "cli/cli.h"

extern const struct cli_command cli_cmd_report, cli_cmd_plan;

#endif
