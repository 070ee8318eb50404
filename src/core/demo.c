/*
 * demo.c: a fictional school (for a large roll, a trust of schools) built
 * through the core API, so the demo obeys every rule a SENCO's own entries
 * obey: valid UPNs, census needs, one open cycle per pupil on the register,
 * ratings inside their plan periods, costs from the catalogue.
 *
 * Every random choice comes from a splitmix64 stream seeded from the seed
 * and the pupil's number (never rand() or the clock), and every date is
 * counted back from `today`; so the same seed, roll and today give the
 * same content. Ids and timestamps are the core's (ids are random), so
 * two builds differ in those alone.
 *
 * All names, staff, schools and texts are invented.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "codes.h"
#include "demo.h"
#include "demo_int.h"
#include "pupil.h"
#include "register.h"
#include "xmalloc.h"

#define DEMO_PUPILS_DEFAULT 200
#define DEMO_PUPILS_MAX 1000000
#define DEMO_LA 999			/* no real local authority has 999 */
#define DEMO_ONE_SCHOOL_MAX 2000	/* below this: one primary school */
#define DEMO_PUPILS_PER_IV 200		/* larger rolls: one intervention per */
#define CLASS_SIZE 30

/* --- names -------------------------------------------------------------- */

static const char *const en_sur[] = {
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
	"Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White",
	"Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Hughes",
	"Edwards", "Turner", "Hill", "Cooper", "Ward", "Morris", "Harrison",
	"Lloyd", "Fletcher", "Ashworth", "Pemberton", "Smith-Jones",
	"MacDonald", "McKenzie", "Fairbairn", "Holloway", "Bell",
};
static const char *const en_f[] = {
	"Olivia", "Amelia", "Isla", "Ava", "Freya", "Poppy", "Grace", "Ellie",
	"Sophie", "Lily", "Ruby", "Evie", "Jessica", "Elizabeth", "Charlotte",
	"Matilda", "Harriet", "Zoë", "Daisy", "Florence", "Maisie", "Imogen",
};
static const char *const en_m[] = {
	"Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Jack",
	"Charlie", "Oscar", "Jacob", "Henry", "Thomas", "Freddie", "Alfie",
	"Theo", "William", "Alexander", "Joshua", "Samuel", "Reuben",
	"Archie", "Benjamin", "Frederick",
};
static const char *const ie_sur[] = {
	"O'Brien", "Murphy", "Kelly", "O'Connor", "Ní Bhriain", "Doyle",
	"Byrne", "McCarthy", "Ó Súilleabháin", "Fitzgerald", "Gallagher",
};
static const char *const ie_f[] = {
	"Siobhán", "Aoife", "Niamh", "Sinéad", "Róisín", "Saoirse",
	"Caoimhe", "Orla",
};
static const char *const ie_m[] = {
	"Oisín", "Seán", "Ciarán", "Tadhg", "Darragh", "Cillian", "Pádraig",
	"Eoin",
};
static const char *const sa_sur[] = {
	"Patel", "Khan", "Ahmed", "Hussain", "Begum", "Ali", "Singh", "Kaur",
	"Shah", "Chaudhry", "Iqbal", "Mistry", "Sharma",
};
static const char *const sa_f[] = {
	"Aisha", "Priya", "Ananya", "Zara", "Fatima", "Maryam", "Simran",
	"Anika", "Inaaya", "Harleen",
};
static const char *const sa_m[] = {
	"Muhammad", "Arjun", "Rohan", "Ibrahim", "Yusuf", "Hamza", "Aarav",
	"Zain", "Ayaan", "Gurpreet",
};
static const char *const pl_sur[] = {
	"Kowalczyk", "Nowak", "Wiśniewski", "Wójcik", "Kamiński",
	"Lewandowski", "Zieliński", "Szymański", "Dąbrowski", "Kaczmarek",
};
static const char *const pl_f[] = {
	"Zofia", "Łucja", "Hanna", "Maja", "Zuzanna", "Julia", "Wiktoria",
	"Małgorzata",
};
static const char *const pl_m[] = {
	"Łukasz", "Jakub", "Kacper", "Mateusz", "Szymon", "Wojciech",
	"Michał", "Jan",
};
static const char *const wa_sur[] = {
	"Okafor", "Adeyemi", "Mensah", "Osei", "Okonkwo", "Adebayo", "Nwosu",
	"Boateng", "Oyelaran",
};
static const char *const wa_f[] = {
	"Oluwaseun", "Adaeze", "Chiamaka", "Ama", "Abena", "Ifeoma",
	"Temitope", "Zainab",
};
static const char *const wa_m[] = {
	"Oluwaseun", "Tunde", "Kwame", "Kofi", "Chidi", "Emeka", "Olumide",
	"Adebayo",
};
static const char *const vn_sur[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
};
static const char *const vn_f[] = {
	"Ngọc Anh", "Linh", "Thảo", "Mai", "Huyền",
};
static const char *const vn_m[] = {
	"Minh", "Quang", "Đức", "Huy", "Bảo",
};
static const char *const cn_sur[] = {
	"李", "王", "陈", "Chen", "Wang", "Zhang", "Liu",
};
static const char *const cn_f[] = {
	"Mei", "Yuxuan", "Xinyi", "美玲", "Jiayi",
};
static const char *const cn_m[] = {
	"Wei", "Hao", "Zihan", "浩然", "Junjie",
};
static const char *const eu_sur[] = {
	"Müller", "Schäfer", "Popescu", "Ionescu", "Björk", "Søndergaard",
	"Dubois", "Lefèvre", "Rossi",
};
static const char *const eu_f[] = {
	"Lena", "Emilia", "Ioana", "Anja", "Ingrid", "Märta", "Chloé",
	"Renée",
};
static const char *const eu_m[] = {
	"Lukas", "Finn", "Matteo", "Jonas", "Andrei", "Emil", "Björn",
	"Mathéo",
};
static const char *const es_sur[] = {
	"Da Silva", "Gonçalves", "Fernández", "García", "López", "Pereira",
	"Martínez",
};
static const char *const es_f[] = {
	"Mía", "Lucía", "Sofía", "Valentina", "Inês", "Beatriz", "Mariana",
};
static const char *const es_m[] = {
	"José", "Joaquín", "Mateo", "Tomás", "João", "Gonçalo", "Santiago",
};
static const char *const tr_sur[] = {
	"Yılmaz", "Doğan", "Öztürk", "Kaya", "Çelik",
};
static const char *const tr_f[] = {
	"Elif", "Zeynep", "Ayşe", "Defne", "Eylül",
};
static const char *const tr_m[] = {
	"Emre", "Mehmet", "Yusuf", "Çağan", "Arda",
};
static const char *const ar_sur[] = {
	"Hassan", "Abdi", "Mohamed", "Farah", "Al-Sayed", "Warsame",
};
static const char *const ar_f[] = {
	"Layla", "Hafsa", "Amira", "Noor", "Hodan",
};
static const char *const ar_m[] = {
	"Omar", "Ali", "Abdirahman", "Khalid", "Mustafa", "Bilal",
};

/* Families of names, so a forename usually goes with a surname of the
 * same heritage; eal is the chance of English as an additional language. */
struct origin {
	int weight;			/* pupils per thousand */
	double eal;
	const char *const *sur;
	int n_sur;
	const char *const *girl;
	int n_girl;
	const char *const *boy;
	int n_boy;
};

#define ORIGIN(w, eal, s, f, m) \
	{ w, eal, s, NELEM(s), f, NELEM(f), m, NELEM(m) }
static const struct origin origins[] = {
	ORIGIN(550, 0.01, en_sur, en_f, en_m),
	ORIGIN(60, 0.02, ie_sur, ie_f, ie_m),
	ORIGIN(100, 0.30, sa_sur, sa_f, sa_m),
	ORIGIN(60, 0.50, pl_sur, pl_f, pl_m),
	ORIGIN(70, 0.20, wa_sur, wa_f, wa_m),
	ORIGIN(20, 0.60, vn_sur, vn_f, vn_m),
	ORIGIN(30, 0.50, cn_sur, cn_f, cn_m),
	ORIGIN(40, 0.40, eu_sur, eu_f, eu_m),
	ORIGIN(30, 0.45, es_sur, es_f, es_m),
	ORIGIN(20, 0.50, tr_sur, tr_f, tr_m),
	ORIGIN(20, 0.50, ar_sur, ar_f, ar_m),
};

/* Forenames often shortened at school: the preferred forename. */
static const struct {
	const char *legal, *preferred;
} nicknames[] = {
	{ "Oluwaseun", "Seun" }, { "Alexander", "Alex" }, { "Thomas", "Tom" },
	{ "Jessica", "Jess" }, { "Elizabeth", "Lizzie" },
	{ "Frederick", "Freddie" }, { "William", "Will" },
	{ "Benjamin", "Ben" }, { "Samuel", "Sam" }, { "Muhammad", "Mo" },
	{ "Małgorzata", "Gosia" }, { "Wojciech", "Wojtek" },
	{ "Temitope", "Temi" }, { "Olumide", "Mide" },
	{ "Chiamaka", "Amaka" }, { "Ifeoma", "Ify" }, { "Zofia", "Zosia" },
	{ "Abdirahman", "Abdi" }, { "美玲", "Mei Ling" }, { "浩然", "Haoran" },
	{ "Pádraig", "Paddy" }, { "Charlotte", "Lottie" },
	{ "Joshua", "Josh" }, { "Florence", "Flo" },
};

/* --- staff and schools -------------------------------------------------- */

const char *const demo_sencos[] = {
	"Hannah Whitfield", "Rajesh Menon", "Ciara Dunne",
	"Marta Wiśniewska", "Femi Adebayo", "Sarah-Jane Holt",
};
const char *const demo_teachers[] = {
	"Priya Raman", "Marcus Bell", "Sophie Brennan", "Tomás Ó Briain",
	"Emma Castellano", "Daniel Hart", "Yasmin Qureshi",
	"Joanna Kwiatkowska", "Ben Ashford", "Grace Mensah", "Li Jun",
	"Rhiannon Pryce",
};
const char *const demo_assistants[] = {
	"Tomasz Wójcik", "Gráinne Doyle", "Adaeze Nwosu", "Karen Pike",
	"Mohammed Rafiq", "Lucy Fenwick", "Agnieszka Nowak",
	"Deborah Clarke", "Zoë Marchetti", "Ifeoma Okeke", "Paul Eckersley",
	"Nadia Benali",
};
const int demo_n_sencos = NELEM(demo_sencos);
const int demo_n_teachers = NELEM(demo_teachers);
const int demo_n_assistants = NELEM(demo_assistants);

static const char *const places[] = {
	"Oakfield", "Ashdown", "Brookfield", "Kingsmead", "Millbrook",
	"Riverside", "St Aidan's", "Hawthorn", "Willowbank", "Greenacre",
	"Highfield", "Larkrise", "Moorside", "Northgate", "Parkside",
	"Queensway", "Redmoor", "Southfields", "Thornbury", "Valley Road",
	"Westfield", "Yewtree", "Beechwood", "Castle Hill", "Elmstead",
	"Foxhollow", "Glenmoor", "Hillcrest", "Juniper", "Kestrel",
	"Lime Grove", "Meadowbank", "Nettlebed", "Orchard Vale", "Pinewood",
	"Rowan", "Sandpiper", "Tanners Brook", "Wharfedale", "Woodlands",
};

static const char class_letters[] = "BHKMPRSTWCDGLN";

/* Census needs by share (per thousand) for SEN support and EHC plans. */
static const char *const need_list[] = {
	"SLCN", "ASD", "SPLD", "MLD", "SLD", "PMLD", "SEMH", "HI", "VI",
	"MSI", "PD", "OTH", "NSA",
};
static const int need_k[] = {
	240, 90, 130, 180, 5, 0, 200, 15, 8, 2, 20, 30, 50,
};
static const int need_e[] = {
	200, 330, 20, 80, 110, 30, 150, 20, 10, 5, 40, 10, 0,
};

/* The census year group of 0 (reception) .. 11. */
static const char *
year_name(int year)
{
	static const char *const names[] = {
		"R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
	};

	return year >= 0 && year < NELEM(names) ? names[year] : "X";
}

/* --- schools ------------------------------------------------------------ */

static int
site_count(int pupils)
{
	int ivs, n;

	if (pupils < DEMO_ONE_SCHOOL_MAX)
		return 1;
	ivs = pupils / DEMO_PUPILS_PER_IV;
	n = (ivs + DEMO_N_PROGRAMMES - 1) / DEMO_N_PROGRAMMES;
	return n < 2 ? 2 : n;
}

static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
make_sites(struct build *b, const struct demo_opts *o)
{
	int n = b->n_sites = site_count(o->pupils);

	b->sites = xcalloc((size_t)n, sizeof *b->sites);
	for (int s = 0; s < n; s++) {
		struct site *st = &b->sites[s];
		const char *place = places[s % NELEM(places)];
		int lap = s / NELEM(places);

		/* About two in five of a trust's pupils are in secondary. */
		st->secondary = n > 1 && (s % 5 == 1 || s % 5 == 3);
		st->first_year = st->secondary ? 7 : 0;
		st->n_years = st->secondary ? 5 : 7;
		st->estab = (st->secondary ? 4000 : 2000) + s * 5;
		if (lap == 0)
			snprintf(st->tag, sizeof st->tag, "%s", place);
		else
			snprintf(st->tag, sizeof st->tag, "%s %d", place,
			    lap + 1);
		snprintf(st->name, sizeof st->name, "%s %s", st->tag,
		    st->secondary ? "Academy" : "Primary School");
		st->first = (int)((int64_t)o->pupils * s / n);
		st->count = (int)((int64_t)o->pupils * (s + 1) / n) - st->first;
		st->senco = s % demo_n_sencos;
		st->staff = (s * 3) % demo_n_teachers;
	}
	if (o->school != NULL && *o->school != '\0') {
		struct site *st = &b->sites[0];

		strlcpy_utf8(st->name, o->school, sizeof st->name);
		strlcpy_utf8(st->tag, o->school, sizeof st->tag);
		st->estab = 2000 + (int)(name_hash(o->school) % 1000u) / 5 * 5;
		/* Keep clear of the other sites' numbers. */
		if (n > 1)
			st->estab = 7000 + st->estab % 1000;
	}
}


/* --- one pupil's identity ----------------------------------------------- */

static void
make_name(struct kid *k)
{
	struct rng *r = &k->r;
	struct pupil *p = &k->p;
	const struct origin *og, *fo;
	int w[NELEM(origins)];
	const char *fore;
	size_t len;

	for (int i = 0; i < NELEM(origins); i++)
		w[i] = origins[i].weight;
	og = &origins[rng_weighted(r, w, NELEM(origins))];
	/* Mostly a forename of the same heritage; some mixed. */
	fo = rng_chance(r, 0.8) ? og : &origins[rng_weighted(r, w,
	    NELEM(origins))];
	p->gender = rng_chance(r, 0.5) ? 'M' : 'F';
	fore = p->gender == 'M' ? fo->boy[rng_int(r, 0, fo->n_boy - 1)] :
	    fo->girl[rng_int(r, 0, fo->n_girl - 1)];
	snprintf(p->legal_forename, sizeof p->legal_forename, "%s", fore);
	snprintf(p->legal_surname, sizeof p->legal_surname, "%s",
	    og->sur[rng_int(r, 0, og->n_sur - 1)]);
	/* Polish surnames in -ski take -ska for a girl. */
	len = strlen(p->legal_surname);
	if (p->gender == 'F' && len > 3 &&
	    strcmp(p->legal_surname + len - 3, "ski") == 0)
		p->legal_surname[len - 1] = 'a';
	for (int i = 0; i < NELEM(nicknames); i++)
		if (strcmp(fore, nicknames[i].legal) == 0 &&
		    rng_chance(r, 0.7)) {
			snprintf(p->preferred_forename,
			    sizeof p->preferred_forename, "%s",
			    nicknames[i].preferred);
			break;
		}
	k->call = p->preferred_forename[0] != '\0' ? p->preferred_forename :
	    p->legal_forename;
	if (rng_chance(r, og->eal))
		p->flags |= FLAG_EAL;
}

static void
pick_needs(struct kid *k)
{
	struct rng *r = &k->r;
	struct pupil *p = &k->p;
	const int *w = p->status == 'E' ? need_e : need_k;
	int first, second;

	first = rng_weighted(r, w, NELEM(need_list));
	snprintf(p->needs[0], NEED_CODE_MAX, "%s", need_list[first]);
	p->n_needs = 1;
	if (strcmp(need_list[first], "NSA") == 0 ||
	    !rng_chance(r, p->status == 'E' ? 0.5 : 0.35))
		return;
	for (int tries = 0; tries < 8; tries++) {
		second = rng_weighted(r, need_k, NELEM(need_list));
		if (second != first && strcmp(need_list[second], "NSA") != 0) {
			snprintf(p->needs[1], NEED_CODE_MAX, "%s",
			    need_list[second]);
			p->n_needs = 2;
			return;
		}
	}
}

/* The share of pupils on the register follows the national picture:
 * about 15% SEN support and 3% EHC plans, twice as many boys as girls. */
static void
make_identity(struct build *b, struct kid *k, int i)
{
	struct rng *r = &k->r;
	struct pupil *p = &k->p;
	struct site *st = k->site;
	int j = i - st->first, in_year, classes, per_year, born;
	double u, att;
	bool boy;

	pupil_init(p);
	make_name(k);
	boy = p->gender == 'M';

	/* Round robin over year groups keeps them the same size. */
	k->year = st->first_year + j % st->n_years;
	in_year = j / st->n_years;
	per_year = (st->count + st->n_years - 1) / st->n_years;
	classes = (per_year + CLASS_SIZE - 1) / CLASS_SIZE;
	if (classes > (int)sizeof class_letters - 1)
		classes = (int)sizeof class_letters - 1;
	snprintf(p->year, sizeof p->year, "%s", year_name(k->year));
	snprintf(p->class_name, sizeof p->class_name, "%s%c", p->year,
	    class_letters[(st - b->sites + in_year) % classes]);
	/* Born in the academic year that puts them in this year group. */
	born = b->ay - k->year - 5;
	p->dob = date_from_ymd(born, 9, 1) + rng_int(r, 0,
	    date_from_ymd(born + 1, 8, 31) - date_from_ymd(born, 9, 1));
	k->entry = school_day_after(date_from_ymd(b->ay - (k->year -
	    st->first_year), 9, 3));
	/* UPN: allocated in the reception year; serial per school and year
	 * group, spilling into the next establishment number past 999. */
	upn_make(DEMO_LA, st->estab + in_year / 999,
	    (b->ay - k->year) % 100, in_year % 999 + 1, p->upn);

	u = rng_unit(r);
	if (b->register_pct > 0) {
		/* A chosen share on the register, in the national mix of
		 * plans and support (about one in six has a plan). */
		if (u * 100.0 >= b->register_pct)
			p->status = 'N';
		else
			p->status = rng_chance(r, boy ? 0.18 : 0.14) ? 'E' :
			    'K';
	} else if (u < (boy ? 0.042 : 0.018))
		p->status = 'E';
	else if (u < (boy ? 0.042 + 0.19 : 0.018 + 0.11))
		p->status = 'K';
	else
		p->status = 'N';
	if (p->status != 'N')
		pick_needs(k);
	/* A few pupils left the register after support worked. */
	k->removed = p->status == 'N' && k->year > st->first_year &&
	    rng_chance(r, 0.025);
	if (k->removed) {
		p->status = 'K';
		pick_needs(k);
	}

	if (rng_chance(r, p->status != 'N' ? 0.30 : 0.18))
		p->flags |= FLAG_FSM | FLAG_PP;
	else if (rng_chance(r, 0.0625))
		p->flags |= FLAG_PP;
	if (rng_chance(r, p->status != 'N' ? 0.05 : 0.014))
		p->flags |= FLAG_CIC | FLAG_PP;
	/* Most attend well; a tail are persistently absent (< 90%). */
	att = 100.0 - 18.0 * pow(rng_unit(r), 2.5);
	if (p->status != 'N')
		att -= rng_unit(r) * 3.0;
	if (att < 82.0)
		att = 82.0;
	p->attendance = floor(att * 10.0 + 0.5) / 10.0;
}

/* --- the MIS-style CSV -------------------------------------------------- */

static const char csv_header[] =
    "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,Year,"
    "Reg,SEN Status,Primary Need,Secondary Need,Pupil Premium,FSM,"
    "In Care,EAL,Attendance %";

/* RFC 4180: quote a field holding a comma, quote or line break. */
static void
csv_field(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n") != NULL) {
		putc('"', f);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				putc('"', f);
			putc(*s, f);
		}
		putc('"', f);
	} else
		fputs(s, f);
	fputs(last ? "\r\n" : ",", f);
}

static void
csv_row(FILE *f, const struct kid *k)
{
	const struct pupil *p = &k->p;
	char dob[16], att[16], status[2] = { p->status, '\0' };
	int y, m, d;
	bool on = p->status != 'N';

	date_to_ymd(p->dob, &y, &m, &d);
	snprintf(dob, sizeof dob, "%02d/%02d/%04d", d, m, y);
	snprintf(att, sizeof att, "%.1f", p->attendance);
	csv_field(f, p->upn, false);
	csv_field(f, p->legal_surname, false);
	csv_field(f, p->legal_forename, false);
	csv_field(f, p->preferred_forename, false);
	csv_field(f, dob, false);
	csv_field(f, p->gender == 'M' ? "M" : "F", false);
	csv_field(f, p->year, false);
	csv_field(f, p->class_name, false);
	csv_field(f, status, false);
	csv_field(f, on && p->n_needs > 0 ? p->needs[0] : "", false);
	csv_field(f, on && p->n_needs > 1 ? p->needs[1] : "", false);
	csv_field(f, p->flags & FLAG_PP ? "Y" : "N", false);
	csv_field(f, p->flags & FLAG_FSM ? "Y" : "N", false);
	csv_field(f, p->flags & FLAG_CIC ? "Y" : "N", false);
	csv_field(f, p->flags & FLAG_EAL ? "Y" : "N", false);
	csv_field(f, att, true);
}

static int
csv_open(const char *path, FILE **out, struct serr *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	*out = NULL;
	if (fd < 0) {
		if (errno == EEXIST)
			return serr_set(e, SE_EXISTS, "%s: a file is already "
			    "there; senco will not overwrite it", path);
		return serr_set(e, SE_IO, "%s: cannot create: %s", path,
		    strerror(errno));
	}
	if ((*out = fdopen(fd, "w")) == NULL) {
		int err = errno;

		close(fd);
		unlink(path);
		return serr_set(e, SE_IO, "%s: %s", path, strerror(err));
	}
	fprintf(*out, "%s\r\n", csv_header);
	return 0;
}

/* --- one pupil ---------------------------------------------------------- */

/* Pupil i of school st, with all their history; their id into *id. */
static int
build_pupil(struct build *b, struct site *st, int i, int64_t *id,
    struct serr *e)
{
	struct kid k;
	sdate since, k_since = SDATE_NONE;
	int ret;

	memset(&k, 0, sizeof k);
	k.r = rng_stream(b->seed, 1, (uint64_t)i);
	k.site = st;
	make_identity(b, &k, i);
	if (k.p.status != 'N') {
		demo_plan_timeline(b, &k);
		if (!k.tl.open && !k.removed) {
			/* No room for the planned history: never on the
			 * register. */
			k.p.status = 'N';
			k.p.n_needs = 0;
		}
	}
	if (k.p.status == 'N') {
		k.p.status_since = k.entry;
		if ((ret = pupil_add(b->db, &k.p, e)) != 0)
			return ret;
	} else {
		since = demo_status_dates(b, &k, &k_since);
		if (k_since != SDATE_NONE) {
			/* SEN support first; the plan came later. */
			k.p.status = 'K';
			k.p.status_since = k_since;
			if ((ret = pupil_add(b->db, &k.p, e)) != 0 ||
			    (ret = pupil_set_status(b->db, k.p.id, 'E', since,
			    e)) != 0)
				return ret;
			k.p.status = 'E';
		} else {
			k.p.status_since = since;
			if ((ret = pupil_add(b->db, &k.p, e)) != 0)
				return ret;
		}
		if ((ret = demo_build_cycles(b, &k, e)) != 0)
			return ret;
		if (k.removed)
			k.p.status = 'N';
		else if ((ret = demo_add_provision(b, &k, e)) != 0)
			return ret;
	}
	if ((ret = demo_add_agencies(b, &k, e)) != 0 ||
	    (ret = demo_add_notes(b, &k, e)) != 0 ||
	    (ret = demo_add_exclusions(b, &k, e)) != 0)
		return ret;
	if (b->csv != NULL)
		csv_row(b->csv, &k);
	*id = k.p.id;
	return 0;
}

/* --- copies (demo_opts.copies) ------------------------------------------ */

/*
 * A copy of a pupil has the same history as its original, in SQL, with
 * every id mapped by X(): id XOR a mask of the copy's own, which keeps ids
 * distinct within the copy and, as they are random 63-bit numbers, from
 * every other. Copy c takes the local authority number DEMO_LA - c in its
 * UPN (the rest as the original's, with its own check letter) and a
 * surname drawn for it; the forename stays, so the texts that name the
 * pupil still fit. Rows go in the order their references need.
 */
#define DEMO_COPIES_MAX 10
/* id XOR ?1 (the pupil's copy), or XOR the copy's mask m.mask (its rows) */
#define X1(col) "((" col " | ?1) & ~(" col " & ?1))"
#define X(col) "((" col " | m.mask) & ~(" col " & m.mask))"
/* demo_native holds the originals; room is how many of a school's places
 * an original and its copies fill (fewer than copies at the end of a
 * school, so the roll comes out at the number asked for): copy c of it is
 * made when room > c. */

static const char SQL_NATIVE_MAKE[] =
    "CREATE TEMP TABLE demo_native (id INTEGER PRIMARY KEY, room INTEGER)";
static const char SQL_NATIVE_ADD[] =
    "INSERT INTO demo_native VALUES (?1, ?2)";
static const char SQL_NATIVE_DROP[] = "DROP TABLE temp.demo_native";
/* demo_copy: copy c's mask */
static const char SQL_COPY_MAKE[] =
    "CREATE TEMP TABLE demo_copy (c INTEGER PRIMARY KEY, mask INTEGER)";
static const char SQL_COPY_ADD[] = "INSERT INTO demo_copy VALUES (?1, ?2)";
static const char SQL_COPY_DROP[] = "DROP TABLE temp.demo_copy";
/* The originals with what the CSV needs, in UPN order (deterministic). */
static const char SQL_NATIVES[] =
    "SELECT p.id, p.upn, p.legal_forename, coalesce(p.preferred_forename,"
    " ''), p.dob, p.gender, p.year_group, coalesce(p.class, ''),"
    " coalesce(s.status, 'N'), coalesce((SELECT code FROM pupil_need"
    " WHERE pupil_id = p.id AND rank = 1), ''), coalesce((SELECT code"
    " FROM pupil_need WHERE pupil_id = p.id AND rank = 2), ''), p.flags,"
    " p.attendance FROM pupil p JOIN demo_native d ON d.id = p.id"
    " AND d.room > ?1"
    " LEFT JOIN sen_status s ON s.pupil_id = p.id AND s.end_date IS NULL"
    " ORDER BY p.upn";
static const char SQL_COPY_PUPIL[] =
    "INSERT INTO pupil (id, upn, legal_surname, legal_forename,"
    " preferred_surname, preferred_forename, dob, gender, year_group, class,"
    " flags, attendance, archived, left_on, created_at, updated_at, version,"
    " changed_by) SELECT " X1("id") ", ?3, ?4, legal_forename,"
    " preferred_surname, preferred_forename, dob, gender, year_group, class,"
    " flags, attendance, archived, left_on, created_at, updated_at, version,"
    " changed_by FROM pupil WHERE id = ?2";
#define NATIVES "FROM demo_native d CROSS JOIN "
#define ROOM " CROSS JOIN demo_copy m ON m.c < d.room"
/* Each reads from the originals outwards (CROSS JOIN keeps that order)
 * and writes every copy of a row as it reads it, so the originals are
 * read once and the copies never. */
static const char *const sql_copy_rows[] = {
	"INSERT INTO sen_status (id, pupil_id, status, start_date, end_date,"
	" created_at, updated_at, version, changed_by) SELECT " X("s.id") ", "
	X("s.pupil_id") ", s.status, s.start_date, s.end_date, s.created_at,"
	" s.updated_at, s.version, s.changed_by " NATIVES "sen_status s"
	" ON s.pupil_id = d.id" ROOM,
	"INSERT INTO pupil_need (id, pupil_id, rank, code, created_at,"
	" updated_at, version, changed_by) SELECT " X("n.id") ", "
	X("n.pupil_id") ", n.rank, n.code, n.created_at, n.updated_at,"
	" n.version, n.changed_by " NATIVES "pupil_need n ON n.pupil_id = d.id"
	ROOM,
	/* a carried-over cycle after the one it came from */
	"INSERT INTO cycle (id, pupil_id, stage, plan_start, plan_end,"
	" review_date, assess_notes, plan_notes, do_notes, review_notes,"
	" parent_voice, pupil_voice, decision, closed_on, carried_from,"
	" created_at, updated_at, version, changed_by) SELECT " X("c.id") ", "
	X("c.pupil_id") ", c.stage, c.plan_start, c.plan_end, c.review_date,"
	" c.assess_notes, c.plan_notes, c.do_notes, c.review_notes,"
	" c.parent_voice, c.pupil_voice, c.decision, c.closed_on, "
	X("c.carried_from") ", c.created_at, c.updated_at, c.version,"
	" c.changed_by " NATIVES "cycle c ON c.pupil_id = d.id" ROOM
	" ORDER BY d.id, c.plan_start, c.closed_on IS NULL",
	"INSERT INTO target (id, cycle_id, position, text, criteria, baseline,"
	" area, outcome, outcome_on, carried_from, created_at, updated_at,"
	" version, changed_by) SELECT " X("t.id") ", " X("t.cycle_id") ","
	" t.position, t.text, t.criteria, t.baseline, t.area, t.outcome,"
	" t.outcome_on, " X("t.carried_from") ", t.created_at, t.updated_at,"
	" t.version, t.changed_by " NATIVES "cycle c ON c.pupil_id = d.id"
	" CROSS JOIN target t ON t.cycle_id = c.id" ROOM
	" ORDER BY d.id, c.plan_start, c.closed_on IS NULL",
	"INSERT INTO rating (id, target_id, seq, value, rated_on, author,"
	" comment, created_at, updated_at, version, changed_by) SELECT "
	X("r.id") ", " X("r.target_id") ", r.seq, r.value, r.rated_on,"
	" r.author, r.comment, r.created_at, r.updated_at, r.version,"
	" r.changed_by " NATIVES "cycle c ON c.pupil_id = d.id CROSS JOIN"
	" target t ON t.cycle_id = c.id CROSS JOIN rating r ON r.target_id ="
	" t.id" ROOM,
	"INSERT INTO enrolment (id, pupil_id, intervention_id, staff,"
	" group_size, sessions_per_week, minutes, start_date, end_date, ended,"
	" measure, measure_kind, entry_score, exit_score, created_at,"
	" updated_at, version, changed_by) SELECT " X("n.id") ", "
	X("n.pupil_id") ", n.intervention_id, n.staff, n.group_size,"
	" n.sessions_per_week, n.minutes, n.start_date, n.end_date, n.ended,"
	" n.measure, n.measure_kind, n.entry_score, n.exit_score,"
	" n.created_at, n.updated_at, n.version, n.changed_by " NATIVES
	"enrolment n ON n.pupil_id = d.id" ROOM,
	"INSERT INTO agency_involvement (id, pupil_id, agency, referred_on,"
	" status, advice_on, notes, created_at, updated_at, version,"
	" changed_by) SELECT " X("a.id") ", " X("a.pupil_id") ", a.agency,"
	" a.referred_on, a.status, a.advice_on, a.notes, a.created_at,"
	" a.updated_at, a.version, a.changed_by " NATIVES "agency_involvement a"
	" ON a.pupil_id = d.id" ROOM,
	"INSERT INTO exclusion (id, pupil_id, excluded_on, kind, sessions,"
	" reason, created_at, updated_at, version, changed_by) SELECT "
	X("x.id") ", " X("x.pupil_id") ", x.excluded_on, x.kind, x.sessions,"
	" x.reason, x.created_at, x.updated_at, x.version, x.changed_by "
	NATIVES "exclusion x ON x.pupil_id = d.id" ROOM,
	"INSERT INTO note (id, pupil_id, noted_on, author, kind, text,"
	" created_at, updated_at, version, changed_by) SELECT " X("o.id") ", "
	X("o.pupil_id") ", o.noted_on, o.author, o.kind, o.text, o.created_at,"
	" o.updated_at, o.version, o.changed_by " NATIVES "note o ON o.pupil_id"
	" = d.id" ROOM,
};

/* The copy's surname: any family's, drawn from its UPN and the seed. */
static void
copy_surname(struct build *b, const char *upn, char gender, char *out,
    size_t n)
{
	struct rng r = rng_stream(b->seed, 3, name_hash(upn));
	int w[NELEM(origins)];
	const struct origin *og;
	size_t len;

	for (int i = 0; i < NELEM(origins); i++)
		w[i] = origins[i].weight;
	og = &origins[rng_weighted(&r, w, NELEM(origins))];
	snprintf(out, n, "%s", og->sur[rng_int(&r, 0, og->n_sur - 1)]);
	len = strlen(out);
	if (gender == 'F' && len > 3 && strcmp(out + len - 3, "ski") == 0)
		out[len - 1] = 'a';
}

/* sql with ?1 and ?2 bound (a statement may use neither). */
static int
exec_stmt(struct db *db, const char *sql, int64_t a, int64_t b2,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b2);
	return db_step_done(db, st, e, "demo (copies)");
}

/* One CSV row of a copy, from a row of SQL_NATIVES. */
static void
copy_csv_row(FILE *f, sqlite3_stmt *st, const char *upn, const char *sur)
{
	char dob[16], att[16];
	unsigned flags = (unsigned)sqlite3_column_int(st, 11);
	int y, m, d;

	date_to_ymd(date_from_iso((const char *)sqlite3_column_text(st, 4)),
	    &y, &m, &d);
	snprintf(dob, sizeof dob, "%02d/%02d/%04d", d, m, y);
	snprintf(att, sizeof att, "%.1f", sqlite3_column_double(st, 12));
	csv_field(f, upn, false);
	csv_field(f, sur, false);
	for (int i = 2; i <= 10; i++) {
		const char *v = (const char *)sqlite3_column_text(st, i);

		if (i == 4)
			v = dob;
		/* needs only for a pupil on the register, as csv_row() */
		else if (i >= 9 && strcmp((const char *)sqlite3_column_text(st,
		    8), "N") == 0)
			v = "";
		csv_field(f, v != NULL ? v : "", false);
	}
	csv_field(f, flags & FLAG_PP ? "Y" : "N", false);
	csv_field(f, flags & FLAG_FSM ? "Y" : "N", false);
	csv_field(f, flags & FLAG_CIC ? "Y" : "N", false);
	csv_field(f, flags & FLAG_EAL ? "Y" : "N", false);
	csv_field(f, att, true);
}

static int
copy_pupils(struct build *b, int c, int64_t mask, struct serr *e)
{
	sqlite3_stmt *st, *ins;
	char upn[UPN_LEN + 1], sur[NAME_MAX_BYTES];
	const char *orig;
	int rc, ret = 0, estab, year2, serial;

	if ((st = db_stmt(b->db, SQL_NATIVES, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int(st, 1, c);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		orig = (const char *)sqlite3_column_text(st, 1);
		if (sscanf(orig + 4, "%4d%2d%3d", &estab, &year2, &serial) != 3) {
			ret = serr_set(e, SE_STATE, "demo: UPN %s", orig);
			break;
		}
		upn_make(DEMO_LA - c, estab, year2, serial, upn);
		copy_surname(b, upn, *(const char *)sqlite3_column_text(st, 5),
		    sur, sizeof sur);
		if ((ins = db_stmt(b->db, SQL_COPY_PUPIL, e)) == NULL) {
			ret = e != NULL ? e->code : SE_DB;
			break;
		}
		sqlite3_bind_int64(ins, 1, mask);
		sqlite3_bind_int64(ins, 2, sqlite3_column_int64(st, 0));
		sqlite3_bind_text(ins, 3, upn, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 4, sur, -1, SQLITE_TRANSIENT);
		if ((ret = db_step_done(b->db, ins, e, "demo (copies)")) != 0)
			break;
		if (b->csv != NULL)
			copy_csv_row(b->csv, st, upn, sur);
	}
	if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = db_fail(b->db, rc, e, "demo (copies)");
	sqlite3_reset(st);
	return ret;
}

/*
 * The copies add four rows in five to tables whose indexes are keyed on
 * random ids: an index kept up to date takes each copy's entry in a
 * random place of it, where one built after sorts them all once (a
 * sixth off the build of 100,000). So the indexes the copies do not read
 * by are dropped before them and made again after, from the schema's own
 * text; the unique ones check again as they are made.
 */
static const char SQL_COPY_INDEXES[] =
    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND"
    " sql IS NOT NULL AND tbl_name IN ('sen_status', 'pupil_need', 'cycle',"
    " 'target', 'rating', 'enrolment', 'agency_involvement', 'exclusion',"
    " 'note') AND name NOT IN ('sen_status_pupil', 'pupil_need_rank',"
    " 'cycle_pupil', 'target_cycle', 'rating_target', 'enrolment_pupil',"
    " 'agency_pupil', 'exclusion_pupil', 'note_pupil') ORDER BY name";

struct dropped {
	char **sql;			/* each index's CREATE text */
	int n;
};

/* Drop those indexes, keeping their text in *dr (indexes_make frees it,
 * also after a failure here). */
static int
indexes_drop(struct db *db, struct dropped *dr, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_COPY_INDEXES, e);
	char **names = NULL;
	int rc, ret = 0, cap = 0;

	memset(dr, 0, sizeof *dr);
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (dr->n == cap) {
			cap = cap ? cap * 2 : 16;
			dr->sql = xreallocarray(dr->sql, (size_t)cap,
			    sizeof *dr->sql);
			names = xreallocarray(names, (size_t)cap,
			    sizeof *names);
		}
		names[dr->n] = sqlite3_mprintf("DROP INDEX \"%w\"",
		    (const char *)sqlite3_column_text(st, 0));
		dr->sql[dr->n++] = xstrdup((const char *)
		    sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "demo (copies)");
	for (int i = 0; i < dr->n; i++) {
		if (ret == 0)
			ret = db_exec(db, names[i], e);
		sqlite3_free(names[i]);
	}
	free(names);
	return ret;
}

/* Make the indexes indexes_drop() dropped (if make) and free its list. */
static int
indexes_make(struct db *db, struct dropped *dr, bool make, struct serr *e)
{
	int ret = 0;

	for (int i = 0; i < dr->n; i++) {
		if (make && ret == 0)
			ret = db_exec(db, dr->sql[i], e);
		free(dr->sql[i]);
	}
	free(dr->sql);
	memset(dr, 0, sizeof *dr);
	return ret;
}

/* Copies 1 .. copies - 1 of the originals in demo_native. */
static int
make_copies(struct build *b, int copies, struct serr *e)
{
	struct dropped dr;
	int ret = 0, r2;

	if ((ret = indexes_drop(b->db, &dr, e)) != 0)
		goto out;
	if ((ret = exec_stmt(b->db, SQL_COPY_MAKE, 0, 0, e)) != 0)
		goto out;
	for (int c = 1; c < copies && ret == 0; c++) {
		struct rng r = rng_stream(b->seed, 4, (uint64_t)c);
		int64_t mask = (int64_t)(rng_next(&r) & INT64_MAX) | 1;

		if ((ret = copy_pupils(b, c, mask, e)) == 0)
			ret = exec_stmt(b->db, SQL_COPY_ADD, c, mask, e);
	}
	for (int t = 0; t < NELEM(sql_copy_rows) && ret == 0; t++)
		ret = exec_stmt(b->db, sql_copy_rows[t], 0, 0, e);
	if (ret == 0)
		ret = exec_stmt(b->db, SQL_COPY_DROP, 0, 0, e);
	if (ret == 0)
		ret = exec_stmt(b->db, SQL_NATIVE_DROP, 0, 0, e);
out:
	/* made again (or, after a failure, only freed: the rollback
	 * brings them back) */
	if ((r2 = indexes_make(b->db, &dr, ret == 0, e)) != 0 && ret == 0)
		ret = r2;
	return ret;
}

/*
 * With copies, the original for places j .. j + copies - 1 of a school
 * is its pupil number j + (j / copies) % copies (still one of its own,
 * as j is a multiple of copies): pupil j itself would put every original
 * in the same year group whenever copies and the school's year groups
 * have a factor in common (5 and a secondary's 5), and the copies with
 * them.
 */
static int
original(const struct site *st, int j, int copies)
{
	return st->first + j + (j / copies) % copies;
}

/* --- the entry point ---------------------------------------------------- */

void
demo_opts_init(struct demo_opts *o)
{
	memset(o, 0, sizeof *o);
	o->pupils = DEMO_PUPILS_DEFAULT;
	o->seed = 1;
	o->today = SDATE_NONE;
	o->review_weeks = 12;
	o->csv_path = NULL;
	o->school = NULL;
}

static const char SQL_ANY_PUPIL[] = "SELECT 1 FROM pupil LIMIT 1";
static const char SQL_CACHE_SIZE[] = "PRAGMA cache_size";
static const char SQL_FOREIGN_KEYS[] = "PRAGMA foreign_keys";

/* One long transaction touches far more pages than SQLite's default
 * cache (2 MB) holds, and without room it spills them and reads them
 * back, which in WAL mode means a WAL as large as the caseload with
 * every page looked up in its index (100,000 pupils on the register:
 * three times the CPU). So the cache is sized to the caseload the build
 * makes (about 1 KiB for a pupil on the roll and 9 more for one on the
 * register), within a quarter of the memory, and the caller's size comes
 * back after. Past 256 MiB it buys nothing: with the rollback journal
 * (below) a spilled page of a new file costs one write, and a benchmark's
 * 100,000 pupils on the register took as long with 256 MiB as with a
 * cache of the whole 1.3 GB caseload, at half the memory. */
#define DEMO_CACHE_KIB_MIN 2000
#define DEMO_CACHE_KIB_MAX (256 * 1024)
#define DEMO_KIB_PUPIL 1
#define DEMO_KIB_REGISTER 9
#define DEMO_REGISTER_PCT 18		/* the national picture */

static int
cache_kib(const struct demo_opts *o)
{
	int pct = o->register_pct > 0 ? o->register_pct : DEMO_REGISTER_PCT;
	int64_t kib = (int64_t)o->pupils * (100 * DEMO_KIB_PUPIL +
	    pct * DEMO_KIB_REGISTER) / 100, cap = DEMO_CACHE_KIB_MAX;
#ifdef _SC_PHYS_PAGES
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (pages > 0 && size > 0 && (int64_t)pages * size / 4096 < cap)
		cap = (int64_t)pages * size / 4096;
#endif
	if (kib > cap)
		kib = cap;
	return kib < DEMO_CACHE_KIB_MIN ? DEMO_CACHE_KIB_MIN : (int)kib;
}

static int
cache_size(struct db *db, int *old, int kib, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CACHE_SIZE, e);
	char sql[64];

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	if (sqlite3_step(st) == SQLITE_ROW)
		*old = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	/* A pragma takes no bound parameters; the text is our number. */
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib);
	return db_exec(db, sql, e);
}

static void
cache_restore(struct db *db, int old)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", old);
	db_exec(db, sql, NULL);
}

/* A build outside any transaction runs with a rollback journal and puts
 * WAL back after: db_journal_rollback() in db.c says why. */

/*
 * Foreign keys are checked by a lookup of the parent for every row
 * written: the core writes only rows whose parents it has just made, and
 * the copies map every reference with their rows, so a build outside any
 * transaction turns the checks off (a pragma has no effect inside one)
 * and on again after. Returns whether it changed.
 */
static bool
foreign_keys_off(struct db *db)
{
	sqlite3_stmt *st;
	bool on;

	if (db_in_transaction(db) ||
	    (st = db_stmt(db, SQL_FOREIGN_KEYS, NULL)) == NULL)
		return false;
	on = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return on && db_exec(db, "PRAGMA foreign_keys = OFF", NULL) == 0;
}

static void
foreign_keys_on(struct db *db, bool changed)
{
	if (changed)
		db_exec(db, "PRAGMA foreign_keys = ON", NULL);
}

static int
caseload_empty(struct db *db, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ANY_PUPIL, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return serr_set(e, SE_EXISTS, "demo: the caseload already has "
		    "pupils; the demo fills an empty caseload only (try "
		    "'senco init' with a new file)");
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "demo");
	return 0;
}

int
demo_build(struct db *db, const struct demo_opts *o, struct serr *e)
{
	struct build b;
	char author[AUTHOR_MAX], d1[DATE_ISO_LEN], d2[DATE_ISO_LEN];
	sdate real_today = date_today();
	int ret, y, m, d, old_cache = -DEMO_CACHE_KIB_MIN;
	bool cache_set = false, journal, fk;

	if (o->pupils <= 0 || o->pupils > DEMO_PUPILS_MAX)
		return serr_set(e, SE_INVALID, "demo: %d pupils: must be 1 to "
		    "%d", o->pupils, DEMO_PUPILS_MAX);
	if (o->register_pct < 0 || o->register_pct > 100)
		return serr_set(e, SE_INVALID, "demo: %d%% on the register: "
		    "must be 1 to 100 (0 for the national picture)",
		    o->register_pct);
	if (o->review_weeks < 0 || o->review_weeks > 52)
		return serr_set(e, SE_INVALID, "demo: a review every %d weeks: "
		    "must be 1 to 52", o->review_weeks);
	if (o->copies < 0 || o->copies > DEMO_COPIES_MAX)
		return serr_set(e, SE_INVALID, "demo: %d copies of each pupil: "
		    "must be 1 to %d", o->copies, DEMO_COPIES_MAX);
	memset(&b, 0, sizeof b);
	b.db = db;
	b.seed = o->seed;
	b.weeks = o->review_weeks > 0 ? o->review_weeks : 12;
	b.register_pct = o->register_pct;
	b.full = o->full_history;
	b.today = o->today != SDATE_NONE ? o->today : real_today;
	/* The core refuses dates after the real today. */
	if (b.today > real_today)
		return serr_set(e, SE_INVALID, "demo: today %s is after the "
		    "real today %s; records cannot be dated in the future",
		    date_iso(b.today, d1), date_iso(real_today, d2));
	date_to_ymd(b.today, &y, &m, &d);
	b.ay = m >= 9 ? y : y - 1;

	snprintf(author, sizeof author, "%s", db_author(db));
	journal = db_journal_rollback(db);
	fk = foreign_keys_off(db);
	if ((ret = db_begin(db, e)) != 0) {
		foreign_keys_on(db, fk);
		db_journal_wal(db, journal);
		return ret;
	}
	if ((ret = caseload_empty(db, e)) != 0)
		goto fail;
	if ((ret = cache_size(db, &old_cache, cache_kib(o), e)) != 0)
		goto fail;
	cache_set = true;
	if (o->copies > 1 &&
	    (ret = exec_stmt(db, SQL_NATIVE_MAKE, 0, 0, e)) != 0)
		goto fail;
	/* Fictional data needs no audit trail (db.h); it would also double
	 * the rows written. Turning the triggers off as well saves their
	 * cost when they would do nothing: SQLite runs a trigger's program,
	 * with a frame of all its registers, before it looks at the WHEN
	 * (a third of the build's time). */
	db_set_audit(db, false);
	(void)db_set_triggers(db, false, NULL);
	if (o->csv_path != NULL &&
	    (ret = csv_open(o->csv_path, &b.csv, e)) != 0)
		goto fail;
	make_sites(&b, o);
	for (int s = 0; s < b.n_sites; s++) {
		struct site *st = &b.sites[s];

		db_set_author(db, demo_sencos[st->senco]);
		if ((ret = demo_add_catalogue(&b, st, e)) != 0)
			goto fail;
		for (int i = st->first; i < st->first + st->count; i++) {
			int j = i - st->first;
			int64_t id;

			/* with copies, every copies-th pupil; the copies
			 * take the places between */
			if (o->copies > 1 && j % o->copies != 0)
				continue;
			if ((ret = build_pupil(&b, st, o->copies > 1 ?
			    original(st, j, o->copies) : i, &id, e)) != 0) {
				serr_prefix(e, "demo (pupil %d)", i + 1);
				goto fail;
			}
			if (o->copies > 1 && (ret = exec_stmt(db,
			    SQL_NATIVE_ADD, id, st->count - j < o->copies ?
			    st->count - j : o->copies, e)) != 0)
				goto fail;
		}
	}
	if (o->copies > 1 && (ret = make_copies(&b, o->copies, e)) != 0)
		goto fail;
	if (b.csv != NULL) {
		FILE *f = b.csv;

		b.csv = NULL;
		if (ferror(f) | (fclose(f) != 0)) {
			ret = serr_set(e, SE_IO, "%s: cannot write: %s",
			    o->csv_path, strerror(errno));
			unlink(o->csv_path);
			goto fail;
		}
	}
	/* The search index is kept by triggers, which were off. */
	(void)db_set_triggers(db, true, NULL);
	if ((ret = register_reindex(db, e)) != 0)
		goto fail;
	db_set_author(db, author);
	free(b.sites);
	ret = db_commit(db, e);
	db_set_audit(db, true);
	(void)db_set_triggers(db, true, NULL);
	cache_restore(db, old_cache);
	foreign_keys_on(db, fk);
	db_journal_wal(db, journal);
	if (ret != 0 && o->csv_path != NULL)
		unlink(o->csv_path);
	return ret;
fail:
	db_rollback(db);
	db_set_author(db, author);
	db_set_audit(db, true);
	(void)db_set_triggers(db, true, NULL);
	if (cache_set)
		cache_restore(db, old_cache);
	foreign_keys_on(db, fk);
	db_journal_wal(db, journal);
	if (b.csv != NULL) {
		fclose(b.csv);
		unlink(o->csv_path);
	}
	free(b.sites);
	return ret;
}
