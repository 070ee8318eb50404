/*
 * uiquery.h: the few queries and writes the full-screen interface needs
 * that the record modules do not offer. Kept here so that src/ui/ stays
 * free of SQL.
 */
#ifndef SENCO_UIQUERY_H
#define SENCO_UIQUERY_H

#include <stdint.h>
#include "db.h"
#include "err.h"

/*
 * Take back a target added in this session (undo): delete it, refused
 * with SE_STATE once it has ratings, an outcome or a target carried
 * from it (then it is history: discontinue it instead). One transaction.
 */
int uiq_target_delete(struct db *db, int64_t target_id, struct serr *e);

#endif
