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

/* A pupil's document in the search index (migration 3, register.c): the
 * name as shown, then the legal name, a line apart; X is the table or
 * alias the pupil's columns come from. */
#define SEARCH_DOC(X) \
	"coalesce(" X ".preferred_forename, " X ".legal_forename) || ' ' ||" \
	" coalesce(" X ".preferred_surname, " X ".legal_surname) ||" \
	" char(10) || " X ".legal_forename || ' ' || " X ".legal_surname"

#endif
