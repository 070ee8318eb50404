/*
 * schema.h: the ordered migrations db_open() applies.
 */
#ifndef SENCO_SCHEMA_H
#define SENCO_SCHEMA_H

/* schema_migrations[i] takes user_version i to i+1. */
extern const char *const schema_migrations[];
extern const int schema_migration_count;

#endif
