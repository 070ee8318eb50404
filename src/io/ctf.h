/*
 * ctf.h: the Common Transfer File (CTF), the XML file that goes with a
 * pupil from one school to the next (DOMAIN.md): reading the pupils and
 * their SEN history and ranked needs into the import, and writing the
 * SEN part of a CTF for pupils who leave. libxml2 does the XML.
 */
#ifndef SENCO_CTF_H
#define SENCO_CTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "core/config.h"
#include "core/db.h"
#include "core/err.h"
#include "core/import.h"

/* The CTF version written in the header. */
#define CTF_VERSION "24.0"

/* Whether n bytes look like XML (after a byte-order mark and blanks, the
 * first character is '<'). */
bool ctf_looks_like_xml(const char *data, size_t n);

/*
 * Read a CTF (n bytes; `name` for messages) and hand each Pupil to the
 * importer. The file must be well-formed XML with root CTfile and no
 * DOCTYPE: a pupil file comes from outside, and a document type could
 * name other files or define entities, so one is refused outright (no
 * network access, no entity substitution). Returns 0, or SE_INVALID with
 * "name:line: why" for a file that is not a readable CTF, or the error
 * that stopped the import.
 */
int ctf_read(struct importer *im, const char *data, size_t n,
    const char *name, struct import_result *res, struct serr *e);

/*
 * Write a CTF for the pupils with the given UPNs to fp: a header with
 * DocumentQualifier "partial", the school from cfg as SourceSchool and
 * an unknown destination (LEA MMM, Estab MMMM), then each pupil with
 * identity, basic details, SEN history and ranked needs. Every UPN is
 * looked up before anything is written: an unknown one is SE_NOTFOUND.
 */
int ctf_write(struct db *db, const struct config *cfg,
    const char *const *upns, int n, FILE *fp, struct serr *e);

#endif
