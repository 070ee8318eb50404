/*
 * ctf.c: reading and writing Common Transfer Files with libxml2.
 *
 * Reading: the file is parsed whole (a CTF for a class is small) with no
 * network, no entity substitution and no DTD loading, and a file with a
 * DOCTYPE at all is refused: a CTF never has one, and a file that does is
 * either broken or an attempt to make senco read other files. Text is
 * taken only from text and CDATA nodes, so an entity reference could
 * never be expanded into a value even if one got through. Elements are
 * matched by local name, so a namespaced CTF reads the same.
 *
 * Writing: the SEN part of a CTF (DOMAIN.md) through xmlTextWriter.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>

#include "core/codes.h"
#include "core/pupil.h"
#include "core/xmalloc.h"
#include "io/ctf.h"

/* Strings made for one Pupil's row, freed after the row is imported. */
#define ROW_STRINGS_MAX 48

bool
ctf_looks_like_xml(const char *data, size_t n)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0;

	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	return i < n && p[i] == '<';
}

/* --- reading ------------------------------------------------------------- */

static bool
is_elem(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

/* The first child element called name, or NULL. */
static xmlNode *
child(const xmlNode *n, const char *name)
{
	if (n == NULL)
		return NULL;
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

/* The text of an element: its text and CDATA children only. Caller
 * frees; NULL for a NULL element. */
static char *
text_of(const xmlNode *n)
{
	size_t len = 0;
	char *s;

	if (n == NULL)
		return NULL;
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) && c->content != NULL)
			len += strlen((const char *)c->content);
	s = xmalloc(len + 1);
	len = 0;
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) && c->content != NULL) {
			size_t k = strlen((const char *)c->content);

			memcpy(s + len, c->content, k);
			len += k;
		}
	s[len] = '\0';
	return s;
}

static int
line_no(const xmlNode *n)
{
	long l = n != NULL ? xmlGetLineNo(n) : 0;

	return l > 0 && l < 0x7fffffff ? (int)l : 0;
}

/* One Pupil being turned into an import row. */
struct pupil_read {
	struct import_row row;
	char *strings[ROW_STRINGS_MAX];
	int n_strings;
	struct import_sen *history;
	int n_history;
	char problem[SERR_MSG_MAX];
};

/* Keep s until the row is done; returns it. */
static char *
keep(struct pupil_read *pr, char *s)
{
	if (s == NULL)
		return NULL;
	if (pr->n_strings == ROW_STRINGS_MAX) {
		/* Cannot happen with the fields read here; be safe. */
		free(s);
		return NULL;
	}
	pr->strings[pr->n_strings++] = s;
	return s;
}

/* Field f from element el (which may be missing: not given). */
static void
take(struct pupil_read *pr, enum import_field f, const xmlNode *el,
    const char *label)
{
	pr->row.v[f] = keep(pr, text_of(el));
	pr->row.labels[f] = label;
	pr->row.lines[f] = line_no(el);	/* 0: the Pupil's line */
}

struct need_read {
	long rank;
	char *type;
	int line;
};

static int
compare_needs(const void *a, const void *b)
{
	const struct need_read *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->line - y->line;
}

/* Collect the SENneed elements below n into needs (at most max). */
static int
collect_needs(const xmlNode *n, struct need_read *needs, int k, int max)
{
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (is_elem(c, "SENneed")) {
			if (k < max) {
				char *r = text_of(child(c, "SENtypeRank"));
				char *end = NULL;

				/* No SENtypeRank at all is no rank (it was a
				 * crash: found by fuzz/fuzz_ctf.c). */
				needs[k].rank = r != NULL ? strtol(r, &end, 10)
				    : -1;
				if (r == NULL || *r == '\0' || *end != '\0')
					needs[k].rank = -1;
				free(r);
				needs[k].type = text_of(child(c, "SENtype"));
				if (needs[k].type == NULL)
					needs[k].type = xstrdup("");
				needs[k].line = line_no(c);
			}
			k++;
		} else if (c->type == XML_ELEMENT_NODE)
			k = collect_needs(c, needs, k, max);
	}
	return k;
}

/* The ranked needs of a Pupil into v[IMPORT_NEED1..4]; a problem with
 * the ranks goes to pr->problem. */
static void
read_needs(struct pupil_read *pr, const xmlNode *pupil)
{
	enum { MAX = 16 };
	struct need_read needs[MAX];
	const xmlNode *hist = child(pupil, "SENhistory");
	const xmlNode *own = child(pupil, "SENneeds");
	int n = 0, k;

	if (hist == NULL && own == NULL)
		return;
	/* SENneeds inside SENhistory (as written here) or beside it. */
	if (hist != NULL)
		n = collect_needs(hist, needs, n, MAX);
	if (own != NULL)
		n = collect_needs(own, needs, n, MAX);
	if (n == 0 && (hist == NULL || child(hist, "SENneeds") == NULL) &&
	    own == NULL)
		return;		/* the file says nothing about needs */
	for (int f = IMPORT_NEED1; f <= IMPORT_NEED4; f++) {
		pr->row.v[f] = "";
		pr->row.labels[f] = "SENtype";
	}
	if (n > MAX || n > PUPIL_NEEDS_MAX) {
		snprintf(pr->problem, sizeof pr->problem, "SENneeds: %d types "
		    "of need; at most %d are kept", n, PUPIL_NEEDS_MAX);
		pr->row.problem_line = n > 0 ? needs[0].line : 0;
		n = n > MAX ? MAX : n;
		goto out;
	}
	qsort(needs, (size_t)n, sizeof needs[0], compare_needs);
	for (k = 0; k < n; k++) {
		if (needs[k].rank < 1) {
			snprintf(pr->problem, sizeof pr->problem, "SENtypeRank: "
			    "not a rank (1 = primary, 2 = secondary ...)");
			pr->row.problem_line = needs[k].line;
			goto out;
		}
		if (k > 0 && needs[k].rank == needs[k - 1].rank) {
			snprintf(pr->problem, sizeof pr->problem, "SENtypeRank: "
			    "rank %ld is given twice (lines %d and %d)",
			    needs[k].rank, needs[k - 1].line, needs[k].line);
			pr->row.problem_line = needs[k].line;
			goto out;
		}
	}
	/* Ranks in order; a gap (1, 3) closes up. */
	for (k = 0; k < n; k++) {
		pr->row.v[IMPORT_NEED1 + k] = keep(pr, needs[k].type);
		pr->row.lines[IMPORT_NEED1 + k] = needs[k].line;
		needs[k].type = NULL;
	}
out:
	for (k = 0; k < n; k++)
		free(needs[k].type);
}

static void
read_history(struct pupil_read *pr, const xmlNode *pupil)
{
	const xmlNode *hist = child(pupil, "SENhistory");
	int n = 0;

	if (hist == NULL)
		return;
	for (xmlNode *c = hist->children; c != NULL; c = c->next)
		if (is_elem(c, "SEN"))
			n++;
	if (n == 0)
		return;
	pr->history = xcalloc((size_t)n, sizeof *pr->history);
	for (xmlNode *c = hist->children; c != NULL; c = c->next) {
		struct import_sen *h;

		if (!is_elem(c, "SEN"))
			continue;
		h = &pr->history[pr->n_history++];
		h->status = keep(pr, text_of(child(c, "SENprovision")));
		h->start = keep(pr, text_of(child(c, "StartDate")));
		h->line = line_no(c);
	}
	pr->row.history = pr->history;
	pr->row.n_history = pr->n_history;
	pr->row.history_status_label = "SENprovision";
	pr->row.history_start_label = "StartDate";
}

static int
read_pupil(struct importer *im, const xmlNode *pupil, struct serr *e)
{
	struct pupil_read *pr = xcalloc(1, sizeof *pr);
	const xmlNode *basic = child(pupil, "BasicDetails");
	const xmlNode *g, *y;
	int rc;

	pr->row.line = line_no(pupil);
	take(pr, IMPORT_UPN, child(pupil, "UPN"), "UPN");
	take(pr, IMPORT_LEGAL_SURNAME, child(pupil, "Surname"), "Surname");
	take(pr, IMPORT_LEGAL_FORENAME, child(pupil, "Forename"), "Forename");
	take(pr, IMPORT_DOB, child(pupil, "DOB"), "DOB");
	if ((g = child(pupil, "Sex")) != NULL)
		take(pr, IMPORT_GENDER, g, "Sex");
	else if ((g = child(pupil, "Gender")) != NULL)
		take(pr, IMPORT_GENDER, g, "Gender");
	if ((y = child(basic, "NCyearActual")) == NULL)
		y = child(pupil, "NCyearActual");
	take(pr, IMPORT_YEAR, y, "NCyearActual");
	if (child(basic, "PreferredSurname") != NULL)
		take(pr, IMPORT_PREFERRED_SURNAME,
		    child(basic, "PreferredSurname"), "PreferredSurname");
	if (child(basic, "PreferredForename") != NULL)
		take(pr, IMPORT_PREFERRED_FORENAME,
		    child(basic, "PreferredForename"), "PreferredForename");
	read_history(pr, pupil);
	read_needs(pr, pupil);
	if (pr->problem[0] != '\0')
		pr->row.problem = pr->problem;

	rc = import_row(im, &pr->row, e);
	for (int i = 0; i < pr->n_strings; i++)
		free(pr->strings[i]);
	free(pr->history);
	free(pr);
	return rc;
}

/* The header in one notice: which CTF this is and where it comes from. */
static void
note_header(struct importer *im, const xmlNode *header)
{
	const xmlNode *src = child(header, "SourceSchool");
	char *ver = text_of(child(header, "CTFversion"));
	char *school = text_of(child(src, "SchoolName"));
	char *la = text_of(child(src, "LEA"));
	char *estab = text_of(child(src, "Estab"));
	char *when = text_of(child(header, "DateTime"));

	import_note(im, IMSG_NOTICE, line_no(header), "Common Transfer File%s"
	    "%s from %s (LA %s, establishment %s)%s%s", ver ? " version " : "",
	    ver ? ver : "", school && *school ? school : "an unnamed school",
	    la && *la ? la : "?", estab && *estab ? estab : "?",
	    when && *when ? ", written " : "", when ? when : "");
	free(ver);
	free(school);
	free(la);
	free(estab);
	free(when);
}

/* The line of "<!DOCTYPE" in the raw text (libxml2 keeps none for the
 * DTD node), or 1. */
static int
doctype_line(const char *data, size_t n)
{
	static const char tag[] = "<!DOCTYPE";
	int line = 1;

	for (size_t i = 0; i + sizeof tag - 1 <= n; i++) {
		if (data[i] == '\n')
			line++;
		else if (memcmp(data + i, tag, sizeof tag - 1) == 0)
			return line;
	}
	return 1;
}

int
ctf_read(struct importer *im, const char *data, size_t n, const char *name,
    struct import_result *res, struct serr *e)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	const xmlNode *root, *header, *pdata;
	int rc = 0;

	snprintf(res->format, sizeof res->format, "CTF");
	if (n > (size_t)0x7fffffff)
		return serr_set(e, SE_INVALID, "%s: too large for a CTF", name);
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return serr_set(e, SE_IO, "%s: cannot start the XML parser",
		    name);
	/* NONET: no fetching; no NOENT or DTDLOAD: nothing substituted or
	 * loaded; NOERROR/NOWARNING: errors come back here, not on stderr. */
	doc = xmlCtxtReadMemory(ctxt, data, (int)n, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA);
	if (doc == NULL) {
		const xmlError *xe = xmlCtxtGetLastError(ctxt);
		char msg[256];
		size_t len;

		snprintf(msg, sizeof msg, "%s", xe != NULL && xe->message ?
		    xe->message : "not well-formed");
		len = strlen(msg);
		while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
			msg[--len] = '\0';
		rc = serr_set(e, SE_INVALID, "%s:%d: not a readable XML file: "
		    "%s", name, xe != NULL ? xe->line : 0, msg);
		goto out;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		rc = serr_set(e, SE_INVALID, "%s:%d: the file has a DOCTYPE; a "
		    "Common Transfer File has none, and senco does not read "
		    "one (it could pull in other files): refused", name,
		    doctype_line(data, n));
		goto out;
	}
	snprintf(res->encoding, sizeof res->encoding, "%s",
	    doc->encoding != NULL ? (const char *)doc->encoding : "UTF-8");
	root = xmlDocGetRootElement(doc);
	if (!is_elem(root, "CTfile")) {
		rc = serr_set(e, SE_INVALID, "%s:%d: not a Common Transfer "
		    "File: the root element is <%s>, not <CTfile>", name,
		    line_no(root), root != NULL ? (const char *)root->name :
		    "");
		goto out;
	}
	if ((header = child(root, "Header")) != NULL)
		note_header(im, header);
	if ((pdata = child(root, "CTFpupilData")) == NULL) {
		import_note(im, IMSG_NOTICE, line_no(root), "no CTFpupilData: "
		    "the file holds no pupils");
		goto out;
	}
	for (const xmlNode *p = pdata->children; p != NULL; p = p->next)
		if (is_elem(p, "Pupil") && (rc = read_pupil(im, p, e)) != 0)
			goto out;
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/* --- writing ------------------------------------------------------------- */

struct hist_list {
	struct status_entry *v;
	int n, cap;
};

static int
collect_status(void *ctx, const struct status_entry *s)
{
	struct hist_list *h = ctx;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->v = xreallocarray(h->v, (size_t)h->cap, sizeof *h->v);
	}
	h->v[h->n++] = *s;
	return 0;
}

/* Element with text; text NULL or "" writes nothing. */
static void
elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	xmlTextWriterWriteElement(w, (const xmlChar *)name,
	    (const xmlChar *)text);
}

static int
write_pupil(struct db *db, xmlTextWriterPtr w, const struct pupil *p,
    struct serr *e)
{
	struct hist_list h = { 0 };
	char d[DATE_ISO_LEN], buf[16];
	int rc;

	if ((rc = pupil_status_history(db, p->id, collect_status, &h, e)) != 0)
		return rc;
	xmlTextWriterStartElement(w, (const xmlChar *)"Pupil");
	elem(w, "UPN", p->upn);
	elem(w, "Surname", p->legal_surname);
	elem(w, "Forename", p->legal_forename);
	elem(w, "DOB", date_iso(p->dob, d));
	if (p->gender == 'M' || p->gender == 'F') {
		snprintf(buf, sizeof buf, "%c", p->gender);
		elem(w, "Sex", buf);
	}
	xmlTextWriterStartElement(w, (const xmlChar *)"BasicDetails");
	elem(w, "PreferredSurname", p->preferred_surname[0] ?
	    p->preferred_surname : p->legal_surname);
	elem(w, "PreferredForename", p->preferred_forename[0] ?
	    p->preferred_forename : p->legal_forename);
	elem(w, "NCyearActual", p->year);
	xmlTextWriterEndElement(w);

	xmlTextWriterStartElement(w, (const xmlChar *)"SENhistory");
	for (int i = 0; i < h.n; i++) {
		snprintf(buf, sizeof buf, "%c", h.v[i].status);
		xmlTextWriterStartElement(w, (const xmlChar *)"SEN");
		elem(w, "StartDate", date_iso(h.v[i].start, d));
		elem(w, "SENprovision", buf);
		xmlTextWriterEndElement(w);
	}
	if (p->n_needs > 0) {
		xmlTextWriterStartElement(w, (const xmlChar *)"SENneeds");
		for (int i = 0; i < p->n_needs; i++) {
			snprintf(buf, sizeof buf, "%d", i + 1);
			xmlTextWriterStartElement(w, (const xmlChar *)"SENneed");
			elem(w, "SENtypeRank", buf);
			elem(w, "SENtype", p->needs[i]);
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);	/* SENhistory */
	xmlTextWriterEndElement(w);	/* Pupil */
	free(h.v);
	return 0;
}

/* The header: this school as the source, the destination unknown. */
static void
write_header(xmlTextWriterPtr w, const struct config *cfg)
{
	char buf[64];
	time_t now = time(NULL);
	struct tm tm;
	sdate today = date_today();
	int y, m, d;

	localtime_r(&now, &tm);
	xmlTextWriterStartElement(w, (const xmlChar *)"Header");
	elem(w, "DocumentName", "Common Transfer File");
	elem(w, "CTFversion", CTF_VERSION);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	elem(w, "DateTime", buf);
	elem(w, "DocumentQualifier", "partial");
	elem(w, "SupplierID", "senco");
	xmlTextWriterStartElement(w, (const xmlChar *)"SourceSchool");
	if (cfg != NULL && cfg->la_number > 0) {
		snprintf(buf, sizeof buf, "%03d", cfg->la_number);
		elem(w, "LEA", buf);
	}
	if (cfg != NULL && cfg->estab_number > 0) {
		snprintf(buf, sizeof buf, "%04d", cfg->estab_number);
		elem(w, "Estab", buf);
	}
	if (cfg != NULL)
		elem(w, "SchoolName", cfg->school_name);
	/* The academic year by the year it began (September). */
	date_to_ymd(today, &y, &m, &d);
	snprintf(buf, sizeof buf, "%d", m >= 9 ? y : y - 1);
	elem(w, "AcademicYear", buf);
	xmlTextWriterEndElement(w);
	/* The CTF specification's code for "destination not known". */
	xmlTextWriterStartElement(w, (const xmlChar *)"DestSchool");
	elem(w, "LEA", "MMM");
	elem(w, "Estab", "MMMM");
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
}

int
ctf_write(struct db *db, const struct config *cfg, const char *const *upns,
    int n, FILE *fp, struct serr *e)
{
	struct pupil *pupils = xcalloc((size_t)(n > 0 ? n : 1), sizeof *pupils);
	xmlBufferPtr buf = NULL;
	xmlTextWriterPtr w = NULL;
	int np = 0, rc = 0;

	/* Find everyone first: a wrong UPN writes nothing. */
	for (int i = 0; i < n; i++) {
		char upn[32];
		size_t o = 0;
		bool dup = false;

		for (const char *s = upns[i]; *s != '\0' && o + 1 < sizeof upn;
		    s++)
			if (!isspace((unsigned char)*s))
				upn[o++] = (char)toupper((unsigned char)*s);
		upn[o] = '\0';
		for (int k = 0; k < np; k++)
			dup = dup || strcmp(pupils[k].upn, upn) == 0;
		if (dup)
			continue;
		pupil_init(&pupils[np]);
		if ((rc = pupil_find_upn(db, upn, &pupils[np], e)) != 0) {
			/* A mistyped UPN is bad data: say what is wrong. */
			if (rc == SE_NOTFOUND && upn_validate(upn, e) != 0)
				rc = SE_INVALID;
			else if (rc == SE_NOTFOUND)
				serr_set(e, SE_NOTFOUND, "UPN %s: no such pupil",
				    upn);
			goto out;
		}
		np++;
	}
	if ((buf = xmlBufferCreate()) == NULL ||
	    (w = xmlNewTextWriterMemory(buf, 0)) == NULL) {
		rc = serr_set(e, SE_IO, "cannot start the XML writer");
		goto out;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, (const xmlChar *)"  ");
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, (const xmlChar *)"CTfile");
	write_header(w, cfg);
	xmlTextWriterStartElement(w, (const xmlChar *)"CTFpupilData");
	for (int i = 0; i < np; i++)
		if ((rc = write_pupil(db, w, &pupils[i], e)) != 0)
			goto out;
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	if (xmlTextWriterEndDocument(w) < 0) {
		rc = serr_set(e, SE_IO, "writing the CTF failed");
		goto out;
	}
	xmlFreeTextWriter(w);	/* flushes into buf */
	w = NULL;
	if (fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), fp)
	    != (size_t)xmlBufferLength(buf) || fflush(fp) != 0)
		rc = serr_set(e, SE_IO, "writing the CTF failed");
out:
	if (w != NULL)
		xmlFreeTextWriter(w);
	if (buf != NULL)
		xmlBufferFree(buf);
	free(pupils);
	return rc;
}
