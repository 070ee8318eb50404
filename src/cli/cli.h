/* cli.h: to be written. */
#ifndef SENCO_CLI_H
#define SENCO_CLI_H
#endif
