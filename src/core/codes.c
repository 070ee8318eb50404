/*
 * codes.c: census codes, UPN check letters, year groups and the fixed
 * vocabularies of the graduated approach, as DOMAIN.md gives them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codes.h"

/* --- SEN status -------------------------------------------------------- */

int
status_parse(const char *s, char *out, bool *historic, struct serr *e)
{
	char c;

	if (historic != NULL)
		*historic = false;
	if (s == NULL)
		s = "";
	while (isspace((unsigned char)*s))
		s++;
	c = (char)toupper((unsigned char)s[0]);
	if (c != '\0') {
		const char *rest = s + 1;

		while (isspace((unsigned char)*rest))
			rest++;
		if (*rest != '\0')
			c = '?';
	}
	switch (c) {
	case 'N': case 'K': case 'E':
		*out = c;
		return 0;
	case 'A': case 'P':
		*out = 'K';
		if (historic != NULL)
			*historic = true;
		return 0;
	case 'S':
		*out = 'E';
		if (historic != NULL)
			*historic = true;
		return 0;
	}
	return serr_set(e, SE_INVALID, "SEN status '%s' is not N, K or E", s);
}

const char *
status_name(char status)
{
	switch (status) {
	case 'N': return "No SEN";
	case 'K': return "SEN support";
	case 'E': return "EHC plan";
	}
	return "unknown";
}

/* --- needs ---------------------------------------------------------------- */

const struct need_code need_codes[NEED_CODE_COUNT] = {
	{ "SLCN", "Speech, language and communication needs", AREA_CI },
	{ "ASD", "Autistic spectrum disorder", AREA_CI },
	{ "SPLD", "Specific learning difficulty", AREA_CL },
	{ "MLD", "Moderate learning difficulty", AREA_CL },
	{ "SLD", "Severe learning difficulty", AREA_CL },
	{ "PMLD", "Profound and multiple learning difficulty", AREA_CL },
	{ "SEMH", "Social, emotional and mental health", AREA_SEMH },
	{ "HI", "Hearing impairment", AREA_SP },
	{ "VI", "Visual impairment", AREA_SP },
	{ "MSI", "Multi-sensory impairment", AREA_SP },
	{ "PD", "Physical disability", AREA_SP },
	{ "OTH", "Other difficulty or disability", AREA_NONE },
	{ "NSA", "SEN support but no specialist assessment of type of need", AREA_NONE },
};

/* Copy s without surrounding blanks into buf. The blanks are cut from
 * the whole of s before it is copied: cutting them from a copy that was
 * itself cut short would make "R", thirty spaces and junk read as "R"
 * (found by fuzz/fuzz_parse.c). Text too long for buf stays too long to
 * match any word. */
static const char *
trimmed(const char *s, char *buf, size_t n)
{
	size_t len;

	if (s == NULL)
		s = "";
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

const struct need_code *
need_find(const char *code)
{
	char buf[32];

	trimmed(code, buf, sizeof buf);
	for (int i = 0; i < NEED_CODE_COUNT; i++)
		if (strcasecmp(need_codes[i].code, buf) == 0)
			return &need_codes[i];
	return NULL;
}

int
need_parse(const char *s, char out[NEED_CODE_MAX], bool *historic,
    struct serr *e)
{
	const struct need_code *nc;
	char buf[64];

	if (historic != NULL)
		*historic = false;
	trimmed(s, buf, sizeof buf);
	if (strcasecmp(buf, "BESD") == 0) {
		if (historic != NULL)
			*historic = true;
		snprintf(out, NEED_CODE_MAX, "SEMH");
		return 0;
	}
	/* From s, not buf: buf may be cut short, and need_find trims
	 * again. */
	if ((nc = need_find(s)) == NULL)
		return serr_set(e, SE_INVALID, "type of need '%s' is not a "
		    "census code (SLCN, ASD, SPLD, MLD, SLD, PMLD, SEMH, HI, "
		    "VI, MSI, PD, OTH, NSA)", buf);
	snprintf(out, NEED_CODE_MAX, "%s", nc->code);
	return 0;
}

int
needs_check(char status, const char needs[][NEED_CODE_MAX], int n,
    struct serr *e)
{
	for (int i = 0; i < n; i++) {
		if (need_find(needs[i]) == NULL)
			return serr_set(e, SE_INVALID, "type of need '%s' is "
			    "not a census code", needs[i]);
		for (int j = 0; j < i; j++)
			if (strcmp(needs[i], needs[j]) == 0)
				return serr_set(e, SE_INVALID, "type of need "
				    "%s is given twice", needs[i]);
		if (strcmp(needs[i], "NSA") == 0 && status != 'K')
			return serr_set(e, SE_INVALID, "type of need NSA is "
			    "only allowed with SEN status K");
	}
	if ((status == 'K' || status == 'E') && n == 0)
		return serr_set(e, SE_INVALID, "a pupil with SEN status %c "
		    "needs a primary type of need", status);
	return 0;
}

static const char *const area_names[AREA_COUNT] = {
	"none",
	"Communication and interaction",
	"Cognition and learning",
	"Social, emotional and mental health",
	"Sensory and/or physical",
};
static const char *const area_codes[AREA_COUNT] = {
	"", "CI", "CL", "SEMH", "SP"
};

const char *
area_name(enum area a)
{
	return (unsigned)a < AREA_COUNT ? area_names[a] : "none";
}

const char *
area_code(enum area a)
{
	return (unsigned)a < AREA_COUNT ? area_codes[a] : "";
}

int
area_parse(const char *s, enum area *out, struct serr *e)
{
	char buf[64];

	trimmed(s, buf, sizeof buf);
	if (buf[0] == '\0' || strcasecmp(buf, "none") == 0) {
		*out = AREA_NONE;
		return 0;
	}
	for (int a = 1; a < AREA_COUNT; a++)
		if (strcasecmp(buf, area_codes[a]) == 0 ||
		    strcasecmp(buf, area_names[a]) == 0) {
			*out = (enum area)a;
			return 0;
		}
	return serr_set(e, SE_INVALID, "broad area '%s' is not CI, CL, SEMH "
	    "or SP", buf);
}

/* --- UPN ---------------------------------------------------------------- */

static const char upn_letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

char
upn_check_letter(const char *s)
{
	int sum = 0;

	if (s == NULL || strlen(s) != UPN_LEN)
		return 0;
	for (int i = 2; i <= 13; i++) {
		unsigned char c = (unsigned char)s[i - 1];
		int v;

		if (isdigit(c))
			v = c - '0';
		else if (i == 13 && strchr(upn_letters, toupper(c)) != NULL && c != 0)
			v = (int)(strchr(upn_letters, toupper(c)) - upn_letters);
		else
			return 0;
		sum += v * i;
	}
	return upn_letters[sum % 23];
}

bool
upn_is_temporary(const char *upn)
{
	return upn != NULL && strlen(upn) == UPN_LEN &&
	    isalpha((unsigned char)upn[12]);
}

int
upn_validate(const char *upn, struct serr *e)
{
	size_t len;
	char want;

	if (upn == NULL)
		upn = "";
	len = strlen(upn);
	if (len != UPN_LEN)
		return serr_set(e, SE_INVALID, "UPN '%s' must be 13 characters, "
		    "not %zu (census error 1540)", upn, len);
	if (!isupper((unsigned char)upn[0]) || strchr(upn_letters, upn[0]) == NULL)
		return serr_set(e, SE_INVALID, "UPN '%s' must start with a "
		    "check letter (A-Z without I, O, S) (census error 1550)",
		    upn);
	for (int i = 1; i < 12; i++)
		if (!isdigit((unsigned char)upn[i]))
			return serr_set(e, SE_INVALID, "UPN '%s': characters "
			    "2 to 12 must be digits (census error 1550)", upn);
	if (!isdigit((unsigned char)upn[12]) &&
	    (!isupper((unsigned char)upn[12]) ||
	    strchr(upn_letters, upn[12]) == NULL))
		return serr_set(e, SE_INVALID, "UPN '%s': character 13 must be "
		    "a digit, or a letter in a temporary UPN (census error "
		    "1550)", upn);
	want = upn_check_letter(upn);
	if (want != upn[0])
		return serr_set(e, SE_INVALID, "UPN '%s' has the wrong check "
		    "letter: it should be %c (census error 1510)", upn, want);
	return 0;
}

void
upn_make(int la, int estab, int year2, int serial, char out[UPN_LEN + 1])
{
	snprintf(out, UPN_LEN + 1, "?%03u%04u%02u%03u", (unsigned)la % 1000u,
	    (unsigned)estab % 10000u, (unsigned)year2 % 100u,
	    (unsigned)serial % 1000u);
	out[0] = upn_check_letter(out);
}

/* --- year group --------------------------------------------------------- */

int
year_parse(const char *s, char out[YEAR_MAX], struct serr *e)
{
	char buf[32], *p;
	long n;

	trimmed(s, buf, sizeof buf);
	p = buf;
	if (strcasecmp(p, "reception") == 0 || strcasecmp(p, "R") == 0 ||
	    strcasecmp(p, "YR") == 0) {
		snprintf(out, YEAR_MAX, "R");
		return 0;
	}
	if (strcasecmp(p, "N1") == 0 || strcasecmp(p, "N2") == 0) {
		out[0] = 'N';
		out[1] = p[1];
		out[2] = '\0';
		return 0;
	}
	if (strcasecmp(p, "X") == 0) {
		snprintf(out, YEAR_MAX, "X");
		return 0;
	}
	if (strncasecmp(p, "year", 4) == 0) {
		p += 4;
		while (*p == ' ')
			p++;
	} else if ((*p == 'Y' || *p == 'y') && isdigit((unsigned char)p[1]))
		p++;
	if (*p != '\0' && strspn(p, "0123456789") == strlen(p) &&
	    strlen(p) <= 2) {
		n = strtol(p, NULL, 10);
		if (n >= 1 && n <= 14) {
			snprintf(out, YEAR_MAX, "%ld", n);
			return 0;
		}
	}
	return serr_set(e, SE_INVALID, "year group '%s' is not N1, N2, R, "
	    "1 to 14 or X", buf);
}

int
year_order(const char *y)
{
	if (y == NULL || *y == '\0')
		return 99;
	if (strcmp(y, "N1") == 0)
		return -2;
	if (strcmp(y, "N2") == 0)
		return -1;
	if (strcmp(y, "R") == 0)
		return 0;
	if (strcmp(y, "X") == 0)
		return 15;
	return (int)strtol(y, NULL, 10);
}

const char *
year_key_stage(const char *y)
{
	int o = year_order(y);

	if (o <= 0)
		return "EYFS";
	if (o <= 2)
		return "KS1";
	if (o <= 6)
		return "KS2";
	if (o <= 9)
		return "KS3";
	if (o <= 11)
		return "KS4";
	if (o <= 14)
		return "post-16";
	return "";
}

/* --- vocabularies ------------------------------------------------------ */

static const char *const stage_codes[STAGE_COUNT] = {
	"assess", "plan", "do", "review"
};
static const char *const stage_names[STAGE_COUNT] = {
	"Assess", "Plan", "Do", "Review"
};
static const char *const decision_codes[DECISION_COUNT] = {
	"", "continue", "increase", "ehc", "remove"
};
static const char *const decision_names[DECISION_COUNT] = {
	"none", "continue", "increase support",
	"request EHC needs assessment", "remove from register"
};
static const char *const outcome_codes[OUTCOME_COUNT] = {
	"", "achieved", "partial", "not", "discontinued"
};
static const char *const outcome_names[OUTCOME_COUNT] = {
	"none", "achieved", "partially achieved", "not achieved",
	"discontinued"
};
static const char *const rating_names[RATING_MAX + 1] = {
	"not started", "emerging", "developing", "secure", "achieved"
};

/* Find s among codes[] or names[]; -1 if absent. Empty never matches. */
static int
lookup(const char *s, const char *const *codes, const char *const *names,
    int n)
{
	char buf[64];

	trimmed(s, buf, sizeof buf);
	if (buf[0] == '\0')
		return -1;
	for (int i = 0; i < n; i++)
		if (strcasecmp(buf, codes[i]) == 0 ||
		    strcasecmp(buf, names[i]) == 0)
			return i;
	return -1;
}

const char *
stage_code(enum stage s)
{
	return (unsigned)s < STAGE_COUNT ? stage_codes[s] : "";
}

const char *
stage_name(enum stage s)
{
	return (unsigned)s < STAGE_COUNT ? stage_names[s] : "";
}

int
stage_parse(const char *s, enum stage *out, struct serr *e)
{
	int i = lookup(s, stage_codes, stage_names, STAGE_COUNT);

	if (i < 0)
		return serr_set(e, SE_INVALID, "stage '%s' is not assess, "
		    "plan, do or review", s ? s : "");
	*out = (enum stage)i;
	return 0;
}

const char *
decision_code(enum decision d)
{
	return (unsigned)d < DECISION_COUNT ? decision_codes[d] : "";
}

const char *
decision_name(enum decision d)
{
	return (unsigned)d < DECISION_COUNT ? decision_names[d] : "";
}

int
decision_parse(const char *s, enum decision *out, struct serr *e)
{
	int i = lookup(s, decision_codes, decision_names, DECISION_COUNT);

	if (i <= 0)
		return serr_set(e, SE_INVALID, "decision '%s' is not continue, "
		    "increase, ehc or remove", s ? s : "");
	*out = (enum decision)i;
	return 0;
}

const char *
outcome_code(enum outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcome_codes[o] : "";
}

const char *
outcome_name(enum outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcome_names[o] : "";
}

int
outcome_parse(const char *s, enum outcome *out, struct serr *e)
{
	int i = lookup(s, outcome_codes, outcome_names, OUTCOME_COUNT);

	if (i <= 0)
		return serr_set(e, SE_INVALID, "outcome '%s' is not achieved, "
		    "partial, not or discontinued", s ? s : "");
	*out = (enum outcome)i;
	return 0;
}

const char *
rating_name(int r)
{
	return r >= 0 && r <= RATING_MAX ? rating_names[r] : "not rated";
}

int
rating_parse(const char *s, int *out, struct serr *e)
{
	char buf[32];

	trimmed(s, buf, sizeof buf);
	if (buf[0] >= '0' && buf[0] <= '4' && buf[1] == '\0') {
		*out = buf[0] - '0';
		return 0;
	}
	for (int i = 0; i <= RATING_MAX; i++)
		if (strcasecmp(buf, rating_names[i]) == 0) {
			*out = i;
			return 0;
		}
	return serr_set(e, SE_INVALID, "rating '%s' is not 0 (not started), "
	    "1 (emerging), 2 (developing), 3 (secure) or 4 (achieved)", buf);
}

/* --- flags ---------------------------------------------------------------- */

static const struct {
	enum pupil_flag flag;
	const char *code;
	const char *alias;
} flag_table[] = {
	{ FLAG_PP, "PP", "pupil premium" },
	{ FLAG_FSM, "FSM", "free school meals" },
	{ FLAG_CIC, "CiC", "LAC" },
	{ FLAG_EAL, "EAL", "english as an additional language" },
};

const char *
flag_code(enum pupil_flag f)
{
	for (size_t i = 0; i < sizeof flag_table / sizeof flag_table[0]; i++)
		if (flag_table[i].flag == f)
			return flag_table[i].code;
	return "";
}

/* Whether the len bytes at s are word, case ignored. */
static bool
word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/* The words are read in place, not from a copy of fixed size: a copy cut
 * short turned "PP,FSMX" after 250 blanks into PP (fuzz/fuzz_parse.c). */
int
flags_parse(const char *s, unsigned *out, struct serr *e)
{
	unsigned f = 0;

	for (s = s ? s : ""; *s != '\0'; ) {
		const char *w = s;
		size_t len = strcspn(w, ", +"), i;

		s += len > 0 ? len : 1;
		if (len == 0 || word_is(w, len, "none"))
			continue;
		for (i = 0; i < sizeof flag_table / sizeof flag_table[0]; i++)
			if (word_is(w, len, flag_table[i].code) ||
			    word_is(w, len, flag_table[i].alias))
				break;
		if (i == sizeof flag_table / sizeof flag_table[0])
			return serr_set(e, SE_INVALID, "flag '%.*s' is not PP, "
			    "FSM, CiC or EAL", (int)(len > 40 ? 40 : len), w);
		f |= flag_table[i].flag;
	}
	*out = f;
	return 0;
}

char *
flags_show(unsigned flags, char *buf)
{
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof flag_table / sizeof flag_table[0]; i++)
		if (flags & flag_table[i].flag) {
			if (buf[0] != '\0')
				strcat(buf, " ");
			strcat(buf, flag_table[i].code);
		}
	return buf;
}
