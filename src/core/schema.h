/*
 * schema.h: the ordered migrations db_open() applies.
 */
#ifndef SENCO_SCHEMA_H
#define SENCO_SCHEMA_H

/* schema_migrations[i] takes user_version i to i+1. */
extern const char *const schema_migrations[];
extern const int schema_migration_count;

struct audited_table {
	const char *name;
	const char *pupil_expr;	/* SQL with X for NEW/OLD: the row's pupil */
};
/* Tables whose every change the audit triggers record. */
extern const struct audited_table schema_audited[];
extern const int schema_audited_count;

#endif
