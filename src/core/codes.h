/*
 * codes.h: the census codes and identifiers of English schools
 * (../shared/DOMAIN.md): SEN status, type of need and broad area, UPN,
 * year group, and the fixed vocabularies of the graduated approach.
 */
#ifndef SENCO_CODES_H
#define SENCO_CODES_H

#include <stdbool.h>
#include "err.h"

/* --- SEN status ---------------------------------------------------------- */
/* Normalise a status as typed or imported: N, K, E; the historic A and P
 * map to K and S to E (*historic set true). Returns 0 or SE_INVALID. */
int status_parse(const char *s, char *out, bool *historic, struct serr *e);
const char *status_name(char status);	/* "SEN support" ... */

/* --- type of need ------------------------------------------------------- */
enum area {
	AREA_NONE = 0,
	AREA_CI,	/* Communication and interaction */
	AREA_CL,	/* Cognition and learning */
	AREA_SEMH,	/* Social, emotional and mental health */
	AREA_SP,	/* Sensory and/or physical */
	AREA_COUNT
};

struct need_code {
	const char *code;	/* "SLCN" */
	const char *name;	/* "Speech, language and communication needs" */
	enum area area;
};

#define NEED_CODE_COUNT 13
extern const struct need_code need_codes[NEED_CODE_COUNT];
#define NEED_CODE_MAX 8		/* buffer size for a code, NUL included */

/* Case-insensitive lookup; NULL if unknown. */
const struct need_code *need_find(const char *code);
/* Normalise a need code; BESD maps to SEMH (*historic set). */
int need_parse(const char *s, char out[NEED_CODE_MAX], bool *historic,
    struct serr *e);
/* Check the census rules for a status and its ranked needs:
 * K or E needs a primary need; NSA only with K; no code twice. */
int needs_check(char status, const char needs[][NEED_CODE_MAX], int n,
    struct serr *e);

const char *area_name(enum area);	/* "Cognition and learning" */
const char *area_code(enum area);	/* "CL" (storage and CLI) */
int area_parse(const char *s, enum area *out, struct serr *e);

/* --- UPN ---------------------------------------------------------------- */
#define UPN_LEN 13
/* The check letter for characters 2..13 of a UPN (s points at a 13-char
 * UPN; character 1 is ignored). Returns 0 if characters 2..13 are not of
 * the right form. */
char upn_check_letter(const char *s);
bool upn_is_temporary(const char *upn);
/* Validate a UPN: 13 characters, letter + 11 digits + digit or letter,
 * check letter right. Messages cite the census error (1510, 1540/1550). */
int upn_validate(const char *upn, struct serr *e);
/* Build a valid permanent UPN from its parts (demo data and tests):
 * LA 3 digits, establishment 4, year of allocation 2, serial 3. */
void upn_make(int la, int estab, int year2, int serial, char out[UPN_LEN + 1]);

/* --- year group --------------------------------------------------------- */
#define YEAR_MAX 3		/* "N1", "R", "14", "X" + NUL */
/* Accepts N1, N2, R, 1-14, X, also "Y7", "Year 7", "07", "Reception". */
int year_parse(const char *s, char out[YEAR_MAX], struct serr *e);
/* Sort key: N1 < N2 < R < 1 < ... < 14 < X. */
int year_order(const char *year);
const char *year_key_stage(const char *year);	/* "KS2", "EYFS" ... */

/* --- the graduated approach --------------------------------------------- */
enum stage { STAGE_ASSESS = 0, STAGE_PLAN, STAGE_DO, STAGE_REVIEW, STAGE_COUNT };
enum decision {
	DECISION_NONE = 0,
	DECISION_CONTINUE,	/* a new cycle begins */
	DECISION_INCREASE,	/* increase support: a new cycle begins */
	DECISION_EHC,		/* request EHC needs assessment */
	DECISION_REMOVE,	/* remove from the SEN register: status N */
	DECISION_COUNT
};
enum outcome {
	OUTCOME_NONE = 0,
	OUTCOME_ACHIEVED,
	OUTCOME_PARTIAL,	/* partially achieved */
	OUTCOME_NOT,		/* not achieved */
	OUTCOME_DISCONTINUED,
	OUTCOME_COUNT
};
#define RATING_MAX 4

/* code: the word stored and typed ("assess", "increase", "partial");
 * name: the words shown ("Assess", "increase support", "partially
 * achieved"). Parse accepts either, case-insensitively. */
const char *stage_code(enum stage);
const char *stage_name(enum stage);
int stage_parse(const char *s, enum stage *out, struct serr *e);
const char *decision_code(enum decision);
const char *decision_name(enum decision);
int decision_parse(const char *s, enum decision *out, struct serr *e);
const char *outcome_code(enum outcome);
const char *outcome_name(enum outcome);
int outcome_parse(const char *s, enum outcome *out, struct serr *e);
/* 0 not started, 1 emerging, 2 developing, 3 secure, 4 achieved. */
const char *rating_name(int rating);
int rating_parse(const char *s, int *out, struct serr *e);

/* Vulnerable-group flags. */
enum pupil_flag { FLAG_PP = 1, FLAG_FSM = 2, FLAG_CIC = 4, FLAG_EAL = 8 };
#define FLAG_ALL (FLAG_PP | FLAG_FSM | FLAG_CIC | FLAG_EAL)
const char *flag_code(enum pupil_flag);		/* "PP" */
/* "PP,FSM" or "PP FSM" -> bits; unknown word refused. */
int flags_parse(const char *s, unsigned *out, struct serr *e);
/* Write "PP FSM" into buf (size >= 16). */
char *flags_show(unsigned flags, char *buf);

#endif
