/*
 * demo_sen.c: the demo's history on the SEN register (see demo.c for the
 * roll): the intervention catalogue, graduated-approach cycles with
 * targets and rating histories, provision, notes, outside agencies and
 * exclusions, each written through the core API so every rule holds.
 *
 * All texts are invented, written the way SENCOs and teachers write them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "cycle.h"
#include "demo_int.h"
#include "intervention.h"
#include "pupil.h"
#include "record.h"
#include "target.h"
#include "xmalloc.h"

#define MAX_TARGETS 5		/* of a full history; the demo's 4 */
#define DEMO_TARGETS 4
#define MAX_ENROL 4

/* --- the intervention catalogue ----------------------------------------- */

struct programme {
	const char *name;
	enum area area;
	enum phase phase;
	const char *description;
	const char *evidence;
	enum cost_basis basis;
	int cost_pence;
	int group_min, group_max;
	int sessions, minutes, weeks;
	const char *measure;		/* NULL: no measure */
	enum measure_kind kind;
	/* score: entry lo..hi, gain glo..ghi, capped at cap; age: lo..hi
	 * months behind, glo..ghi tenths of a month gained per month */
	int lo, hi, glo, ghi, cap;
};

static const struct programme programmes[] = {
	{ "Precision teaching", AREA_CL, PH_ANY,
	  "Short daily 1:1 sessions on a small set of words or facts, "
	  "timed and charted so progress is visible to the pupil.",
	  "EEF toolkit: individualised instruction",
	  COST_PER_HOUR, 1550, 1, 1, 5, 10, 10,
	  "Probe score (correct per minute)", MEASURE_SCORE,
	  12, 30, 6, 20, 80 },
	{ "Phonics catch-up group", AREA_CL, PH_PRIMARY,
	  "Small-group systematic synthetic phonics, revisiting the phases "
	  "not yet secure.",
	  "EEF toolkit: phonics (+5 months)",
	  COST_PER_HOUR, 1450, 3, 6, 4, 20, 8,
	  "Phonics screening check score (of 40)", MEASURE_SCORE,
	  8, 28, 3, 12, 40 },
	{ "Social skills group", AREA_SEMH, PH_ANY,
	  "Weekly group practising turn-taking, joining in and repairing "
	  "friendships through games and role play.",
	  "EEF toolkit: social and emotional learning",
	  COST_PER_HOUR, 1550, 4, 6, 1, 45, 10,
	  "Social skills rating (1-5)", MEASURE_RATING, 1, 3, 0, 2, 5 },
	{ "Building bricks club", AREA_CI, PH_PRIMARY,
	  "Brick-building social play group in the style of Lego-based "
	  "therapy: engineer, supplier and builder roles.",
	  "LeGoff et al.; school-based pilot evaluations",
	  COST_PER_SESSION, 2400, 3, 3, 1, 60, 12,
	  "Collaboration rating (1-5)", MEASURE_RATING, 1, 3, 0, 2, 5 },
	{ "Speech and language programme", AREA_CI, PH_ANY,
	  "Programme left by the speech and language therapist, delivered "
	  "by a trained teaching assistant.",
	  "NHS SALT advice; EEF toolkit: oral language (+6 months)",
	  COST_PER_HOUR, 1650, 1, 2, 3, 20, 12,
	  "Language age (months)", MEASURE_AGE, 12, 30, 8, 22, 0 },
	{ "Handwriting and fine motor group", AREA_SP, PH_PRIMARY,
	  "Fine motor warm-ups, letter formation and joins, with sloping "
	  "boards and grips.",
	  "Occupational therapy advice",
	  COST_PER_HOUR, 1450, 2, 6, 3, 20, 8,
	  "Handwriting speed (words per minute)", MEASURE_SCORE,
	  4, 10, 1, 6, 25 },
	{ "Maths catch-up", AREA_CL, PH_ANY,
	  "Structured number sessions with concrete resources, one or two "
	  "pupils at a time.",
	  "EEF toolkit: small group tuition (+4 months)",
	  COST_PER_HOUR, 1550, 1, 2, 3, 30, 10,
	  "Maths age (months)", MEASURE_AGE, 10, 30, 6, 20, 0 },
	{ "Emotional literacy support", AREA_SEMH, PH_ANY,
	  "Weekly sessions with a trained emotional literacy support "
	  "assistant: naming feelings, strategies, self-esteem.",
	  "ELSA network evaluations",
	  COST_PER_HOUR, 1750, 1, 1, 1, 30, 8,
	  "Emotional literacy checklist (of 60)", MEASURE_SCORE,
	  18, 38, 2, 12, 60 },
	{ "Sensory circuits", AREA_SP, PH_PRIMARY,
	  "A short alerting, organising and calming circuit before the "
	  "school day starts.",
	  "Occupational therapy advice",
	  COST_PER_SESSION, 600, 4, 6, 5, 15, 12,
	  "Readiness to learn rating (1-5)", MEASURE_RATING, 1, 3, 0, 2, 5 },
	{ "Reading comprehension group", AREA_CL, PH_ANY,
	  "Reciprocal reading: predicting, questioning, clarifying and "
	  "summarising in a small group.",
	  "EEF toolkit: reading comprehension strategies (+6 months)",
	  COST_PER_HOUR, 1550, 3, 4, 3, 30, 10,
	  "Reading comprehension standardised score", MEASURE_SCORE,
	  70, 88, -2, 12, 130 },
	{ "Touch typing", AREA_SP, PH_ANY,
	  "Touch-typing course on school laptops for pupils for whom "
	  "handwriting is slow or painful.",
	  "Occupational therapy advice",
	  COST_PER_SESSION, 500, 2, 6, 2, 20, 10,
	  "Typing speed (words per minute)", MEASURE_SCORE, 4, 12, 2, 10, 60 },
	{ "Regulation zones group", AREA_SEMH, PH_ANY,
	  "Small group in the style of the Zones of Regulation: recognising "
	  "states and choosing tools to manage them.",
	  "EEF toolkit: self-regulation",
	  COST_PER_HOUR, 1550, 4, 6, 1, 40, 8,
	  "Self-regulation rating (1-5)", MEASURE_RATING, 1, 3, 0, 2, 5 },
	{ "Individual adult support", AREA_NONE, PH_ANY,
	  "A named teaching assistant for the hours set out in the pupil's "
	  "EHC plan.",
	  "EHC plan section F",
	  COST_PER_HOUR, 1650, 1, 1, 5, 60, 39,
	  NULL, MEASURE_SCORE, 0, 0, 0, 0, 0 },
};
_Static_assert(sizeof programmes / sizeof programmes[0] == DEMO_N_PROGRAMMES,
    "DEMO_N_PROGRAMMES in demo_int.h counts the programmes");

/* --- targets ------------------------------------------------------------ */

struct target_tpl {
	enum area area;
	enum phase phase;
	const char *text, *criteria, *baseline;
};

static const struct target_tpl target_bank[] = {
	/* Communication and interaction */
	{ AREA_CI, PH_ANY, "Follow a two-part spoken instruction in class "
	  "(e.g. 'get your book and sit on the carpet') without a picture "
	  "prompt", "Does so in 4 of 5 observed instances across a week",
	  "Follows one-part instructions; needs a gesture for two parts" },
	{ AREA_CI, PH_PRIMARY, "Use 'because' to give a reason in a spoken "
	  "sentence during guided reading", "Uses 'because' correctly at "
	  "least 3 times a session, 3 sessions running",
	  "Answers 'why' questions with single words" },
	{ AREA_CI, PH_ANY, "Start and keep up a conversation with a peer for "
	  "3 turns at break time", "Observed 3 times in a fortnight with no "
	  "adult prompt", "Conversations end after 1 turn; waits for an "
	  "adult to join in" },
	{ AREA_CI, PH_ANY, "Use a visual timetable to move between lessons "
	  "without adult prompting", "Moves on time for 8 of 10 transitions "
	  "logged over a week", "Needs an adult to walk with them at every "
	  "transition" },
	{ AREA_CI, PH_PRIMARY, "Learn and use 10 new topic words from the "
	  "science word mat in speech and writing", "Uses 8 of 10 correctly "
	  "in a quiz and in one piece of writing", "Knows 2 of the 10 words" },
	{ AREA_CI, PH_ANY, "Ask an adult for help using the agreed help card "
	  "when stuck", "Uses the card in 4 of 5 lessons observed",
	  "Sits without starting, or leaves the room, when stuck" },
	{ AREA_CI, PH_PRIMARY, "Say the 's' sound at the start of words in "
	  "practice and in sentences", "90% accurate in sentences on the "
	  "speech and language probe list", "Says 't' for 's' at the start "
	  "of words ('tun' for 'sun')" },
	{ AREA_CI, PH_SECONDARY, "Explain a change to the timetable in own "
	  "words and name one thing that will help", "Does so at 3 of 4 "
	  "planned changes", "Refuses to enter class when a lesson changes" },
	{ AREA_CI, PH_ANY, "Take turns in a structured group game of 4, "
	  "waiting for own turn", "Waits without calling out for 10 minutes, "
	  "3 sessions running", "Takes turns with adult support for 2-3 "
	  "minutes" },
	{ AREA_CI, PH_SECONDARY, "Use the agreed script to ask a subject "
	  "teacher to repeat or explain an instruction", "Used in 3 subjects "
	  "and logged on the pupil's card over two weeks", "Waits silently; "
	  "work often not started" },
	/* Cognition and learning */
	{ AREA_CL, PH_PRIMARY, "Read and spell the 45 phase 3 tricky words",
	  "Reads 45/45 and spells 35/45 correctly in a dictated check",
	  "Reads 18/45 and spells 6/45" },
	{ AREA_CL, PH_PRIMARY, "Blend CVC and CVCC words using phase 4 "
	  "phonics", "Reads 18 of 20 unseen CVCC words", "Blends 3-sound "
	  "words orally; reads 6 of 20" },
	{ AREA_CL, PH_PRIMARY, "Recall number bonds to 10 fluently",
	  "20 mixed bonds in under 60 seconds with 95% accuracy",
	  "Counts on fingers; 11 correct in 60 seconds" },
	{ AREA_CL, PH_PRIMARY, "Recall the 2, 5 and 10 times tables out of "
	  "order", "At least 27 of 30 correct in the weekly check",
	  "Counts up in 2s and 10s from zero; 12 of 30" },
	{ AREA_CL, PH_ANY, "Write a paragraph of 4 sentences with capital "
	  "letters and full stops", "3 independent pieces in books meet the "
	  "criteria", "Writes 1-2 sentences; punctuation missing" },
	{ AREA_CL, PH_ANY, "Use a writing frame to plan a piece of writing "
	  "before starting", "Frame completed in 4 of 5 extended writing "
	  "tasks", "Starts without a plan; loses the thread after 3 lines" },
	{ AREA_CL, PH_ANY, "Read 90 words per minute accurately from a book "
	  "at the current level", "Timed read of an unseen passage: 90 wpm "
	  "at 95% accuracy", "62 words per minute at 88% accuracy" },
	{ AREA_CL, PH_SECONDARY, "Use a reading ruler and highlighter to "
	  "pick out the command word in exam-style questions", "Highlights "
	  "the command word in 8 of 10 questions of a mock paper",
	  "Misreads command words and answers the wrong question" },
	{ AREA_CL, PH_SECONDARY, "Recall multiplication facts to 12 x 12",
	  "At least 45 of 50 in 5 minutes", "28 of 50; slower for 6, 7 "
	  "and 8" },
	{ AREA_CL, PH_ANY, "Use a word bank and a spellchecker to spell "
	  "subject vocabulary", "80% of subject words spelt correctly in a "
	  "marked piece of work", "About half of subject words misspelt" },
	{ AREA_CL, PH_SECONDARY, "Organise homework using the planner and "
	  "the class online page", "Homework handed in on time for 4 weeks "
	  "running", "Half of homework missing each week" },
	/* Social, emotional and mental health */
	{ AREA_SEMH, PH_ANY, "Name the zone they are in and choose a tool "
	  "from their regulation toolkit", "Does so when asked in 4 of 5 "
	  "check-ins", "Cannot name feelings beyond 'fine' or 'angry'" },
	{ AREA_SEMH, PH_ANY, "Use the agreed calm-down space and return to "
	  "learning within 10 minutes", "Returns within 10 minutes in 80% "
	  "of logged uses", "Leaves the classroom and returns after 30 "
	  "minutes or more" },
	{ AREA_SEMH, PH_ANY, "Enter the classroom calmly each morning using "
	  "the meet-and-greet routine", "Calm entry on 9 of 10 days logged",
	  "Distressed at the door on most mornings" },
	{ AREA_SEMH, PH_PRIMARY, "Play a structured game at lunchtime with "
	  "two peers without an adult needing to step in", "3 lunchtimes a "
	  "week with no incident logged", "Two incidents a week at "
	  "lunchtime" },
	{ AREA_SEMH, PH_ANY, "Tell a trusted adult about a worry using the "
	  "worry box or the daily check-in", "Uses the check-in at least "
	  "twice a week for 4 weeks", "Worries show as refusal; rarely says "
	  "what is wrong" },
	{ AREA_SEMH, PH_ANY, "Accept a mistake in their work and have "
	  "another go without ripping up the page", "No work destroyed over "
	  "3 weeks", "Screws up or rips work 2-3 times a week" },
	{ AREA_SEMH, PH_SECONDARY, "Attend every timetabled lesson, using "
	  "the exit card rather than walking out", "No unauthorised absence "
	  "from lessons for 4 weeks", "Out of lessons 3-4 times a week" },
	{ AREA_SEMH, PH_ANY, "Complete the morning check-in and rate their "
	  "mood on the 1-5 scale", "Completed on 90% of days",
	  "Refuses the check-in" },
	{ AREA_SEMH, PH_SECONDARY, "Take part in a restorative conversation "
	  "after a conflict with a peer", "Takes part in 3 of 3 restorative "
	  "conversations", "Refuses to talk after a conflict" },
	/* Sensory and/or physical */
	{ AREA_SP, PH_ANY, "Use a sloping board and pencil grip to write for "
	  "10 minutes without a rest", "10 minutes in 3 lessons in a row",
	  "Stops after 3-4 minutes with a sore hand" },
	{ AREA_SP, PH_PRIMARY, "Do up buttons and a zip after PE without "
	  "help", "Dressed in under 5 minutes without help for 4 weeks",
	  "Needs an adult for buttons and zip" },
	{ AREA_SP, PH_ANY, "Touch type at 15 words per minute using all "
	  "fingers", "15 wpm at 90% accuracy on the typing programme test",
	  "6 wpm with two fingers" },
	{ AREA_SP, PH_ANY, "Wear hearing aids all day and tell an adult when "
	  "a battery is flat", "Aids worn at every check; reports a flat "
	  "battery unprompted", "Takes aids out by lunchtime" },
	{ AREA_SP, PH_ANY, "Use enlarged (N24) resources and a magnifier "
	  "without adult set-up", "Sets up own resources in 4 of 5 lessons",
	  "Waits for an adult to set up enlarged resources" },
	{ AREA_SP, PH_PRIMARY, "Complete the sensory circuit and settle to "
	  "the first task within 5 minutes", "On 8 of 10 mornings logged",
	  "Takes 15-20 minutes to settle" },
	{ AREA_SP, PH_ANY, "Move around school safely using the agreed route "
	  "and the lift pass", "Independent on the route for 4 weeks",
	  "Accompanied at all times" },
	{ AREA_SP, PH_PRIMARY, "Cut along a curved line to within 5 mm",
	  "3 of 4 attempts within 5 mm", "Snips; cannot follow a line" },
	{ AREA_SP, PH_SECONDARY, "Use a laptop for extended writing in "
	  "English and humanities", "Laptop used for all extended writing "
	  "for a half term", "Handwrites; work illegible after half a page" },
};
#define N_TARGET_TPL NELEM(target_bank)

/* Comments for a rating that rose, stayed or slipped back. */
static const char *const comments_up[] = {
	"Did it with one prompt.",
	"Managed it on their own twice this week.",
	"A big step forward today.",
	"Used the strategy in PE as well, unprompted.",
};
static const char *const comments_same[] = {
	"Needed adult support throughout.",
	"Confident in the group; less so in class.",
	"Absent for two sessions; not yet.",
};
static const char *const comments_down[] = {
	"Back to needing reminders after the holiday.",
	"A harder week: needed an adult to get started each time.",
};

/* --- texts: {n} is the pupil's forename, {s} the school ----------------- */

static const char *const assess_notes[] = {
	"Teacher assessment and the phonics tracker show {n} is well behind "
	"age expectations; views of parents and of {n} gathered.",
	"Observed {n} in class and at lunchtime; a strengths and "
	"difficulties questionnaire was completed with parents.",
	"Language screen completed: {n}'s understanding of spoken language "
	"is below age expectations.",
	"Attainment data reviewed with the class teacher: gaps in number "
	"facts and place value.",
	"Advice from the educational psychologist's report considered "
	"alongside {n}'s progress data.",
};
static const char *const plan_notes[] = {
	"Targets agreed with parents and {n}; interventions set up and the "
	"review date agreed.",
	"Plan shared with all staff who teach {n}; one-page profile updated.",
	"Provision agreed: small-group work and daily precision teaching; "
	"the teaching assistant logs progress each week.",
	"Parents to practise the key words at home each evening; school "
	"sends the word cards home on Fridays.",
};
static const char *const do_notes[] = {
	"Sessions running as planned; two missed for a school trip.",
	"Class teacher reports {n} uses the strategies in lessons without "
	"prompting more often.",
	"Group moved to mornings as {n} was too tired after lunch.",
	"Staff absence meant a fortnight of sessions was lost; caught up "
	"with an extra session a week.",
};
static const char *const review_notes[DECISION_COUNT][2] = {
	[DECISION_CONTINUE] = {
		"Progress reviewed with parents and {n}: steady progress; "
		"support continues with new targets.",
		"Most targets achieved or nearly; the gap is closing. "
		"Continue at SEN support.",
	},
	[DECISION_INCREASE] = {
		"Targets only partly met; parents agreed an increase in "
		"support and a referral for outside advice.",
		"Progress slower than hoped; more adult time and a second "
		"intervention added.",
	},
	[DECISION_EHC] = {
		"Despite sustained support the gap is widening; the school "
		"and parents agreed to request an EHC needs assessment.",
		"Needs go beyond what the school can provide from its own "
		"resources; EHC needs assessment requested.",
	},
	[DECISION_REMOVE] = {
		"All targets achieved and {n} is keeping up with the class; "
		"removed from the SEN register, to be monitored.",
		"No longer needs provision beyond quality first teaching; "
		"parents agree. Removed from the register.",
	},
};
static const char *const parent_voices[] = {
	"{n} is much happier coming to school this term. We would like "
	"more help with reading at home.",
	"We have noticed {n} gets very tired after school and homework is "
	"a struggle.",
	"Mum says {n} talks about the group sessions at home and enjoys "
	"them.",
	"Dad is worried that {n} has no close friends in class and asked "
	"about lunchtime clubs.",
	"Parents are pleased with the progress in phonics and want to keep "
	"the daily reading going.",
	"Please keep using the visual timetable: it has helped at home too.",
	"Carer reports fewer meltdowns at home since the new morning "
	"routine.",
	"Mum feels {n} needs more support in maths and would like ideas for "
	"home.",
};
static const char *const pupil_voices[] = {
	"I like working in the small room. Reading is getting easier.",
	"I don't like it when it is noisy. The ear defenders help.",
	"I want to get better at my times tables.",
	"Lunchtime is hard because I don't know who to play with.",
	"The calm corner helps me when I feel cross.",
	"I like using the laptop because my hand doesn't hurt.",
	"{n} drew the sensory circuit and gave it a thumbs up.",
	"{n} said the best bit of school is brick club and the worst bit is "
	"the spelling test.",
};

struct note_tpl {
	const char *kind, *text;
};
static const struct note_tpl sen_notes[] = {
	{ "meeting", "Review meeting with {n}'s parents: agreed the new "
	  "targets and a home reading diary." },
	{ "meeting", "Met {n}'s class teacher to plan pre-teaching of topic "
	  "vocabulary." },
	{ "meeting", "Transition meeting at {s} with next year's teacher; "
	  "{n}'s one-page profile updated." },
	{ "phone", "Phone call with {n}'s mum: mornings are calmer since the "
	  "visual timetable went home too." },
	{ "phone", "Dad phoned: {n} is worried about swimming; agreed a "
	  "visit to the pool first." },
	{ "phone", "Called {n}'s grandmother (main carer) to arrange the "
	  "educational psychologist's observation." },
	{ "email", "Emailed {n}'s parents the plan and links to the phonics "
	  "videos used in school." },
	{ "letter", "Letter sent home with the date of {n}'s review meeting." },
	{ "other", "Observed {n} in maths: settled well with the number line; "
	  "needed prompts to start." },
};
static const struct note_tpl ehcp_note = {
	"meeting", "Annual review of {n}'s EHC plan held at {s}; report sent "
	"to the local authority within two weeks."
};
static const struct note_tpl watch_notes[] = {
	{ "meeting", "Class teacher raised a concern about {n}'s reading; "
	  "monitoring for a half term before any referral." },
	{ "phone", "Parent asked whether {n} might be dyslexic; explained the "
	  "school's screening process." },
	{ "email", "Mum emailed about {n}'s friendships; class teacher to "
	  "keep an eye at lunchtime." },
};

/* Outside agencies by type of need (index into agencies[]). */
struct agency_tpl {
	const char *name, *notes;
};
static const struct agency_tpl agencies[] = {
	{ "EP", "Consultation and classroom observation; report recommends "
	  "pre-teaching vocabulary and precision teaching." },
	{ "SALT", "Assessment completed; programme of receptive language "
	  "targets left for school staff to deliver." },
	{ "CAMHS", "Referral accepted; family offered a parenting group "
	  "while waiting for an assessment." },
	{ "OT", "Sensory and fine motor assessment; recommends a sloping "
	  "board, pencil grip and a movement break plan." },
	{ "Physiotherapy", "Exercise programme for PE and a plan for moving "
	  "safely around school." },
	{ "Sensory support (hearing)", "Teacher of the deaf visited; radio "
	  "aid set up and staff trained." },
	{ "Sensory support (vision)", "Qualified teacher of vision "
	  "impairment visited; resources to be enlarged to N24." },
	{ "ALST", "Specialist teacher assessment: dyslexic-type "
	  "difficulties; recommends a structured multisensory programme." },
	{ "Autism outreach", "Advisory visit; recommends a visual timetable, "
	  "a quiet workstation and a transition plan." },
	{ "Virtual School", "Personal education plan reviewed with the "
	  "social worker; pupil premium plus funds tutoring." },
};
enum { AG_EP, AG_SALT, AG_CAMHS, AG_OT, AG_PHYSIO, AG_HEARING, AG_VISION,
	AG_ALST, AG_AUTISM, AG_VIRTUAL };

static const struct {
	const char *need;
	int agency[3];		/* -1 ends */
} need_agencies[] = {
	{ "SLCN", { AG_SALT, AG_EP, -1 } },
	{ "ASD", { AG_AUTISM, AG_SALT, AG_CAMHS } },
	{ "SPLD", { AG_ALST, AG_EP, -1 } },
	{ "MLD", { AG_EP, AG_ALST, -1 } },
	{ "SLD", { AG_EP, AG_SALT, AG_OT } },
	{ "PMLD", { AG_PHYSIO, AG_OT, AG_SALT } },
	{ "SEMH", { AG_CAMHS, AG_EP, -1 } },
	{ "HI", { AG_HEARING, AG_SALT, -1 } },
	{ "VI", { AG_VISION, -1, -1 } },
	{ "MSI", { AG_HEARING, AG_VISION, -1 } },
	{ "PD", { AG_OT, AG_PHYSIO, -1 } },
	{ "OTH", { AG_EP, -1, -1 } },
	{ "NSA", { AG_EP, AG_ALST, -1 } },
};

static const char *const exclusion_reasons[] = {
	"Persistent disruptive behaviour: refused to follow instructions "
	"across several lessons.",
	"Physical assault against a pupil: hit another pupil at lunchtime "
	"after a dispute over a game.",
	"Verbal abuse or threatening behaviour against an adult.",
	"Damage to property: broke a classroom window during an incident.",
	"Physical assault against an adult during an escalated incident.",
};


/* A heap copy of tpl with "{n}" replaced by the pupil's forename and "{s}"
 * by the school's name; caller frees. */
static char *
fill_dup(const char *tpl, const struct kid *k)
{
	char buf[768];
	size_t o = 0;

	for (const char *s = tpl; *s != '\0' && o + 1 < sizeof buf; s++) {
		const char *put = NULL;

		if (s[0] == '{' && (s[1] == 'n' || s[1] == 's') && s[2] == '}')
			put = s[1] == 'n' ? k->call : k->site->name;
		if (put == NULL) {
			buf[o++] = *s;
			continue;
		}
		for (; *put != '\0' && o + 1 < sizeof buf; put++)
			buf[o++] = *put;
		s += 2;
	}
	buf[o] = '\0';
	return xstrdup(buf);
}


/* The targets of one cycle, with what carries to the next. */
struct tset {
	int n;
	int tpl[MAX_TARGETS];
	int64_t id[MAX_TARGETS];
	int level[MAX_TARGETS];		/* where a carried target restarts */
	int latest[MAX_TARGETS];
	enum outcome outcome[MAX_TARGETS];
	int avoid[MAX_TARGETS];		/* last cycle's, not set again */
	int n_avoid;
};


int
demo_add_catalogue(struct build *b, struct site *st, struct serr *e)
{
	struct rng r = rng_stream(b->seed, 2, (uint64_t)(st - b->sites));
	struct intervention iv;
	int ret;

	for (int i = 0; i < DEMO_N_PROGRAMMES; i++) {
		const struct programme *pg = &programmes[i];

		intervention_init(&iv);
		if (b->n_sites == 1)
			snprintf(iv.name, sizeof iv.name, "%s", pg->name);
		else
			snprintf(iv.name, sizeof iv.name, "%s (%s)", pg->name,
			    st->tag);
		/* A catalogue the school made itself is used as it is. */
		ret = intervention_find(b->db, iv.name, &iv, NULL);
		if (ret == 0) {
			st->iv[i] = iv.id;
			intervention_free(&iv);
			continue;
		}
		iv.area = pg->area;
		iv.description = xstrdup(pg->description);
		iv.evidence = xstrdup(pg->evidence);
		iv.basis = pg->basis;
		iv.cost_pence = pg->cost_pence;
		/* Rates differ a little from school to school. */
		if (b->n_sites > 1)
			iv.cost_pence = (pg->cost_pence * rng_int(&r, 90, 110)
			    / 100 + 2) / 5 * 5;
		ret = intervention_add(b->db, &iv, e);
		st->iv[i] = iv.id;
		intervention_free(&iv);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* --- the history on the register ---------------------------------------- */

/* Choose the cycles: closed ones back in time, then the open one at a
 * spread of stages (some reviews overdue, some due soon). */
void
demo_plan_timeline(struct build *b, struct kid *k)
{
	static const int stage_w[STAGE_COUNT] = { 10, 15, 55, 20 };
	static const int past_w[MAX_PAST + 1] = { 30, 35, 35 };
	static const int past_full[MAX_PAST + 1] = { 15, 35, 50 };
	struct rng *r = &k->r;
	struct timeline *tl = &k->tl;
	int w7 = b->weeks * 7, elapsed = 0, n, got = 0;
	sdate last, s, starts[MAX_PAST];

	memset(tl, 0, sizeof *tl);
	tl->open = !k->removed;
	if (tl->open) {
		tl->stage = (enum stage)rng_weighted(r, stage_w, STAGE_COUNT);
		switch (tl->stage) {
		case STAGE_ASSESS:
			elapsed = rng_int(r, 0, 13);
			break;
		case STAGE_PLAN:
			elapsed = rng_int(r, 7, 27);
			break;
		case STAGE_DO:
			elapsed = rng_int(r, 21, w7 + 7);
			break;
		default:
			elapsed = rng_int(r, w7 > 14 ? w7 - 14 : 0, w7 + 21);
			break;
		}
		last = school_day(b->today - elapsed);
		if (last < k->entry) {
			/* New to the school: the first cycle is young. */
			last = min_date(k->entry, b->today);
			elapsed = b->today - last;
			tl->stage = elapsed < 7 ? STAGE_ASSESS : elapsed < 28 ?
			    STAGE_PLAN : STAGE_DO;
		}
		n = rng_weighted(r, b->full ? past_full : past_w,
		    MAX_PAST + 1);
	} else {
		last = school_day(b->today - rng_int(r, 14, 120));
		tl->end = last;
		n = 1 + rng_chance(r, 0.4);
	}
	/* Work back from the last start, a review interval (give or take a
	 * late meeting) at a time; no cycle before the pupil came. */
	for (s = last; got < n; got++) {
		sdate prev = school_day(s - (w7 + rng_int(r, -3, 10)));

		if (prev < k->entry || prev >= s)
			break;
		starts[got] = s = prev;
	}
	for (int c = 0; c < got; c++)
		tl->start[c] = starts[got - 1 - c];
	tl->npast = got;
	if (tl->open)
		tl->start[tl->npast] = last;
	else if (tl->npast == 0)
		k->removed = false;	/* no room: never on the register */
	for (int c = 0; c < tl->npast; c++)
		tl->decision[c] = rng_chance(r, 0.8) ? DECISION_CONTINUE :
		    DECISION_INCREASE;
	if (k->removed)
		tl->decision[tl->npast - 1] = DECISION_REMOVE;
	else if (tl->npast > 0 && k->p.status == 'K' && rng_chance(r, 0.08))
		tl->decision[tl->npast - 1] = DECISION_EHC;
}

/* The status history: on the register some time before the first cycle
 * in this school; some EHC plans followed a time at SEN support. */
sdate
demo_status_dates(struct build *b, struct kid *k, sdate *k_since)
{
	struct rng *r = &k->r;
	sdate lo = date_add_months(k->p.dob, 36), first, since;

	*k_since = SDATE_NONE;
	first = k->tl.npast > 0 || k->tl.open ? k->tl.start[0] : b->today;
	since = max_date(lo, school_day(first - rng_int(r, 0, 400)));
	since = min_date(since, first);
	if (k->p.status == 'E' && k->year > 0 && rng_chance(r, 0.5)) {
		sdate ks = school_day(since - rng_int(r, 180, 700));

		if (ks > lo)
			*k_since = ks;
	}
	return since;
}

/* A template index for a new target in area `area`, not already in ts. */
static int
pick_template(struct kid *k, const struct tset *ts, enum area area)
{
	int cand[N_TARGET_TPL], n = 0;
	bool sec = k->year >= 7;

	for (int i = 0; i < N_TARGET_TPL; i++) {
		const struct target_tpl *t = &target_bank[i];
		bool used = false;

		if (t->area != area || (sec && t->phase == PH_PRIMARY) ||
		    (!sec && t->phase == PH_SECONDARY))
			continue;
		for (int j = 0; j < ts->n; j++)
			used |= ts->tpl[j] == i;
		for (int j = 0; j < ts->n_avoid; j++)
			used |= ts->avoid[j] == i;
		if (!used)
			cand[n++] = i;
	}
	return n > 0 ? cand[rng_int(&k->r, 0, n - 1)] : -1;
}

static enum area
need_area(const char *code)
{
	const struct need_code *nc = need_find(code);

	return nc != NULL ? nc->area : AREA_NONE;
}

/* Mostly the primary need's area; sometimes the secondary's, or the
 * learning and wellbeing targets most plans carry. */
static enum area
pick_area(struct kid *k)
{
	struct rng *r = &k->r;
	enum area a1 = need_area(k->p.needs[0]);
	enum area a2 = k->p.n_needs > 1 ? need_area(k->p.needs[1]) : AREA_NONE;
	double u = rng_unit(r);

	if (a1 == AREA_NONE)
		a1 = rng_chance(r, 0.6) ? AREA_CL : AREA_SEMH;
	if (u < 0.6)
		return a1;
	if (u < 0.8)
		return a2 != AREA_NONE ? a2 : a1;
	if (u < 0.9)
		return AREA_CL;
	return AREA_SEMH;
}

static const char *
rater(struct kid *k)
{
	int off = k->site->staff;

	if (rng_chance(&k->r, 0.5))
		return demo_teachers[(off + rng_int(&k->r, 0, STAFF_EACH - 1)) %
		    demo_n_teachers];
	return demo_assistants[(off + rng_int(&k->r, 0, STAFF_EACH - 1)) %
	    demo_n_assistants];
}

/* The most targets a cycle has: 4, or 5 in a full history. */
static int
targets_max(const struct build *b)
{
	return b->full ? MAX_TARGETS : DEMO_TARGETS;
}

/* Top up a cycle's targets to 2-4, or 3-5 in a full history (carried ones
 * count). */
static int
add_targets(struct build *b, struct kid *k, const struct cycle *c,
    struct tset *ts, struct serr *e)
{
	int want = rng_int(&k->r, targets_max(b) - 2, targets_max(b)), ret;

	if (want < ts->n)
		want = ts->n;
	while (ts->n < want) {
		int tpl = -1;
		struct target t;

		for (int tries = 0; tries < 4 && tpl < 0; tries++)
			tpl = pick_template(k, ts, pick_area(k));
		if (tpl < 0)
			break;
		target_init(&t);
		t.cycle_id = c->id;
		t.text = xstrdup(target_bank[tpl].text);
		t.criteria = xstrdup(target_bank[tpl].criteria);
		t.baseline = xstrdup(target_bank[tpl].baseline);
		t.area = target_bank[tpl].area;
		ret = target_add(b->db, &t, e);
		ts->tpl[ts->n] = tpl;
		ts->id[ts->n] = t.id;
		ts->level[ts->n] = 0;
		ts->latest[ts->n] = -1;
		ts->outcome[ts->n] = OUTCOME_NONE;
		ts->n++;
		target_free(&t);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* Rate every target `count` times between from and to, mostly upward at
 * a pace of its own, each rating by one of the school's staff. */
static int
rate_targets(struct build *b, struct kid *k, const struct cycle *c,
    struct tset *ts, int count, sdate from, sdate to, struct serr *e)
{
	struct rng *r = &k->r;
	double planned = c->plan_end > c->plan_start ?
	    (double)(c->plan_end - c->plan_start) : 1.0;
	int span = to - from, ret;

	for (int t = 0; t < ts->n; t++) {
		double pace = 0.55 + 0.8 * rng_unit(r);
		int base = ts->level[t], last = base, n = count;
		sdate d = from;

		for (int i = 0; i < n; i++) {
			sdate want = from + span * (i + 1) / n -
			    rng_int(r, 0, span / (2 * n));
			double f, v;
			int value;
			const char *comment = NULL;

			want = school_day_after(want);
			if (want > to)
				want = school_day(to);
			d = max_date(d, max_date(want, from));
			f = (double)(d - c->plan_start) / planned;
			v = base + (RATING_MAX - base) * pace * f +
			    rng_unit(r) - 0.5;
			value = (int)floor(v + 0.5);
			value = value < 0 ? 0 : value > RATING_MAX ?
			    RATING_MAX : value;
			/* Mostly upward; now and then a slip back. */
			if (value < last && !rng_chance(r, 0.08))
				value = last;
			if (rng_chance(r, 0.25))
				comment = value > last ? PICK(r, comments_up) :
				    value == last ? PICK(r, comments_same) :
				    PICK(r, comments_down);
			last = value;
			db_set_author(b->db, rater(k));
			ret = target_rate(b->db, ts->id[t], value, comment, d,
			    NULL, e);
			db_set_author(b->db, demo_sencos[k->site->senco]);
			if (ret != 0)
				return ret;
			ts->latest[t] = value;
		}
	}
	return 0;
}

static enum outcome
outcome_for(struct rng *r, int latest)
{
	if (rng_chance(r, 0.04))
		return OUTCOME_DISCONTINUED;
	if (latest >= RATING_MAX)
		return OUTCOME_ACHIEVED;
	if (latest == 3)
		return rng_chance(r, 0.3) ? OUTCOME_ACHIEVED : OUTCOME_PARTIAL;
	if (latest == 2)
		return OUTCOME_PARTIAL;
	return OUTCOME_NOT;
}

static void
set_text(char **slot, const char *tpl, const struct kid *k)
{
	free(*slot);
	*slot = fill_dup(tpl, k);
}

/* The stage reached, its notes and the voices heard, in one update (one
 * write instead of a cycle_advance per stage). */
static int
write_texts(struct build *b, struct kid *k, int64_t id, enum stage reached,
    bool closing, enum decision d, struct serr *e)
{
	struct rng *r = &k->r;
	struct cycle c;
	int ret;

	cycle_init(&c);
	if ((ret = cycle_get(b->db, id, &c, e)) != 0)
		goto out;
	c.stage = reached;
	set_text(&c.notes[STAGE_ASSESS], PICK(r, assess_notes), k);
	if (reached >= STAGE_PLAN)
		set_text(&c.notes[STAGE_PLAN], PICK(r, plan_notes), k);
	if (reached >= STAGE_DO && (closing || rng_chance(r, 0.6)))
		set_text(&c.notes[STAGE_DO], PICK(r, do_notes), k);
	if (closing)
		set_text(&c.notes[STAGE_REVIEW],
		    review_notes[d][rng_int(r, 0, 1)], k);
	if (reached >= STAGE_PLAN && (closing || rng_chance(r, 0.85)))
		set_text(&c.parent_voice, PICK(r, parent_voices), k);
	if (reached >= STAGE_PLAN && (closing || rng_chance(r, 0.75)))
		set_text(&c.pupil_voice, PICK(r, pupil_voices), k);
	ret = cycle_update(b->db, &c, e);
out:
	cycle_free(&c);
	return ret;
}

/* One closed cycle: targets, ratings over the plan, outcomes, texts. */
static int
run_past(struct build *b, struct kid *k, const struct cycle *c,
    struct tset *ts, sdate close_on, enum decision d, struct serr *e)
{
	int ret;

	if ((ret = add_targets(b, k, c, ts, e)) != 0 ||
	    (ret = rate_targets(b, k, c, ts, rng_int(&k->r, 2, 4),
	    min_date(school_day_after(c->plan_start + 7), close_on), close_on,
	    e)) != 0)
		return ret;
	for (int t = 0; t < ts->n; t++) {
		ts->outcome[t] = outcome_for(&k->r, ts->latest[t]);
		if ((ret = target_set_outcome_on(b->db, ts->id[t],
		    ts->outcome[t], close_on, e)) != 0)
			return ret;
	}
	return write_texts(b, k, c->id, STAGE_REVIEW, true, d, e);
}

/* The open cycle at its stage; ratings up to today. */
static int
run_open(struct build *b, struct kid *k, const struct cycle *c,
    struct tset *ts, struct serr *e)
{
	enum stage stage = k->tl.stage;
	int count, ret;
	sdate to = min_date(b->today, c->plan_end);

	if ((ret = add_targets(b, k, c, ts, e)) != 0)
		return ret;
	/* Targets are drafted at assess and first rated once planned. */
	count = stage == STAGE_ASSESS ? 0 : stage == STAGE_PLAN ?
	    rng_int(&k->r, 1, 2) : rng_int(&k->r, 2, 4);
	if (count > 0 && (ret = rate_targets(b, k, c, ts, count,
	    min_date(school_day_after(c->plan_start + 3), to), to, e)) != 0)
		return ret;
	return write_texts(b, k, c->id, stage, false, DECISION_NONE, e);
}

/* Unmet targets usually carry into the next cycle. */
static int
carry_over(struct build *b, struct kid *k, const struct tset *old,
    int64_t next, struct tset *ts, struct serr *e)
{
	int ret;

	memset(ts, 0, sizeof *ts);
	for (int t = 0; t < old->n; t++)
		ts->avoid[ts->n_avoid++] = old->tpl[t];
	for (int t = 0; t < old->n && ts->n < targets_max(b) - 1; t++) {
		if ((old->outcome[t] != OUTCOME_PARTIAL &&
		    old->outcome[t] != OUTCOME_NOT) ||
		    !rng_chance(&k->r, 0.75))
			continue;
		if ((ret = target_carry_over(b->db, old->id[t], next,
		    &ts->id[ts->n], e)) != 0)
			return ret;
		ts->tpl[ts->n] = old->tpl[t];
		ts->level[ts->n] = old->latest[t] > 0 ? old->latest[t] - 1 : 0;
		ts->latest[ts->n] = -1;
		ts->n++;
	}
	return 0;
}

int
demo_build_cycles(struct build *b, struct kid *k, struct serr *e)
{
	const struct timeline *tl = &k->tl;
	struct cycle c, next;
	struct tset ts, carried;
	int ret;

	cycle_init(&c);
	cycle_init(&next);
	memset(&ts, 0, sizeof ts);
	if ((ret = cycle_start(b->db, k->p.id, tl->start[0], SDATE_NONE,
	    b->weeks, &c, e)) != 0)
		goto out;
	for (int j = 0; j < tl->npast; j++) {
		sdate close_on = j + 1 < tl->npast || tl->open ?
		    tl->start[j + 1] : tl->end;
		enum decision d = tl->decision[j];
		bool follows = d == DECISION_CONTINUE ||
		    d == DECISION_INCREASE;

		if ((ret = run_past(b, k, &c, &ts, close_on, d, e)) != 0)
			goto out;
		if ((ret = cycle_close(b->db, c.id, d, close_on, b->weeks,
		    follows ? &next : NULL, e)) != 0)
			goto out;
		if (d == DECISION_REMOVE)
			break;
		if (!follows && (ret = cycle_start(b->db, k->p.id, close_on,
		    SDATE_NONE, b->weeks, &next, e)) != 0)
			goto out;
		if ((ret = carry_over(b, k, &ts, next.id, &carried, e)) != 0)
			goto out;
		ts = carried;
		cycle_free(&c);
		c = next;
		cycle_init(&next);
	}
	if (tl->open)
		ret = run_open(b, k, &c, &ts, e);
out:
	cycle_free(&c);
	cycle_free(&next);
	return ret;
}

/* --- provision and records ---------------------------------------------- */

/* The programmes of the pupil's school that fit their needs and age. */
static int
fitting_programmes(struct kid *k, int *out)
{
	enum area a1 = need_area(k->p.needs[0]);
	enum area a2 = k->p.n_needs > 1 ? need_area(k->p.needs[1]) : AREA_NONE;
	bool sec = k->year >= 7;
	int n = 0;

	for (int i = 0; i < DEMO_N_PROGRAMMES; i++) {
		const struct programme *pg = &programmes[i];

		if (i == PROG_ONE_TO_ONE || (sec && pg->phase == PH_PRIMARY) ||
		    (!sec && pg->phase == PH_SECONDARY))
			continue;
		if (pg->area == a1 || pg->area == a2 ||
		    (a1 == AREA_NONE && pg->area == AREA_CL))
			out[n++] = i;
	}
	/* Needs with no programme of their own still get learning support. */
	if (n == 0)
		for (int i = 0; i < DEMO_N_PROGRAMMES; i++)
			if (programmes[i].area == AREA_CL &&
			    (!sec || programmes[i].phase != PH_PRIMARY))
				out[n++] = i;
	return n;
}

static double
entry_score(struct kid *k, const struct programme *pg, sdate start)
{
	struct rng *r = &k->r;
	int age;

	if (pg->measure == NULL)
		return NAN;
	if (pg->kind == MEASURE_AGE) {
		age = date_months_between(k->p.dob, start);
		age -= rng_int(r, pg->lo, pg->hi);
		return age < 30 ? 30 : age;
	}
	return rng_int(r, pg->lo, pg->hi);
}

static double
exit_score(struct kid *k, const struct programme *pg, double entry,
    sdate start, sdate end)
{
	struct rng *r = &k->r;
	double v;

	if (pg->kind == MEASURE_AGE) {
		int months = date_months_between(start, end);

		/* Ratio gain: tenths of a month per month of teaching. */
		v = entry + floor(months * rng_int(r, pg->glo, pg->ghi) / 10.0 +
		    0.5);
		return v;
	}
	v = entry + rng_int(r, pg->glo, pg->ghi);
	return v > pg->cap ? pg->cap : v;
}

static int
enrol(struct build *b, struct kid *k, int prog, bool finished,
    struct serr *e)
{
	const struct programme *pg = &programmes[prog];
	struct rng *r = &k->r;
	struct enrolment en;
	sdate start, end;
	int ret, off = k->site->staff;

	enrolment_init(&en);
	en.pupil_id = k->p.id;
	en.intervention_id = k->site->iv[prog];
	snprintf(en.staff, sizeof en.staff, "%s", rng_chance(r, 0.8) ?
	    demo_assistants[(off + rng_int(r, 0, STAFF_EACH - 1)) %
	    demo_n_assistants] : demo_teachers[(off + rng_int(r, 0,
	    STAFF_EACH - 1)) % demo_n_teachers]);
	en.group_size = rng_int(r, pg->group_min, pg->group_max);
	en.sessions_per_week = pg->sessions;
	en.minutes = pg->minutes;
	if (prog == PROG_ONE_TO_ONE) {
		static const int mins[] = { 60, 90, 120, 180, 240, 300 };

		/* The plan's hours for the whole academic year. */
		en.minutes = PICK(r, mins);
		start = max_date(school_day_after(date_from_ymd(b->ay, 9, 3)),
		    k->entry);
		start = min_date(start, b->today);
		end = date_from_ymd(b->ay + 1, 8, 31);
	} else if (finished) {
		/* Callers ask for this only months after the pupil came. */
		end = school_day(rng_int(r, max_date(b->today - 150,
		    k->entry + 28), b->today - 3));
		start = max_date(school_day(end - pg->weeks * 7), k->entry);
	} else {
		sdate cs = k->tl.open ? k->tl.start[k->tl.npast] : b->today;

		start = school_day(min_date(cs + rng_int(r, 0, 14), b->today));
		start = max_date(start, max_date(cs, k->entry));
		start = min_date(start, b->today);
		end = max_date(start + pg->weeks * 7,
		    school_day_after(b->today + rng_int(r, 7, 42)));
	}
	en.start = start;
	en.end = end;
	if (pg->measure != NULL) {
		snprintf(en.measure, sizeof en.measure, "%s", pg->measure);
		en.measure_kind = pg->kind;
		en.entry = entry_score(k, pg, start);
	}
	if ((ret = enrolment_add(b->db, &en, e)) != 0)
		return ret;
	if (!finished)
		return 0;
	/* Now and then a pupil leaves a group without an exit measure. */
	if (pg->measure == NULL || rng_chance(r, 0.1))
		return enrolment_end(b->db, en.id, end, e);
	return enrolment_exit(b->db, en.id,
	    exit_score(k, pg, en.entry, start, end), end, e);
}

int
demo_add_provision(struct build *b, struct kid *k, struct serr *e)
{
	static const int count_k[] = { 15, 35, 35, 15 };
	static const int count_e[] = { 5, 40, 40, 15 };
	static const int count_full[] = { 5, 30, 40, 25 };
	struct rng *r = &k->r;
	int fit[DEMO_N_PROGRAMMES], nfit, n, ret, chosen[MAX_ENROL], got = 0;

	if (k->p.status == 'E' && rng_chance(r, 0.6) &&
	    (ret = enrol(b, k, PROG_ONE_TO_ONE, false, e)) != 0)
		return ret;
	n = rng_weighted(r, b->full ? count_full : k->p.status == 'E' ?
	    count_e : count_k, NELEM(count_k));
	nfit = fitting_programmes(k, fit);
	for (int i = 0; i < n && got < nfit; i++) {
		int prog = fit[rng_int(r, 0, nfit - 1)];
		bool dup = false;

		for (int j = 0; j < got; j++)
			dup |= chosen[j] == prog;
		if (dup)
			continue;
		chosen[got++] = prog;
		/* About a third finished, with exit scores; the rest run
		 * now (a newcomer's only now). */
		if ((ret = enrol(b, k, prog, b->today - k->entry > 120 &&
		    rng_chance(r, 0.35), e)) != 0)
			return ret;
	}
	return 0;
}

static int
add_agency(struct build *b, struct kid *k, int which, struct serr *e)
{
	static const int status_w[] = { 20, 30, 35, 15 };
	static const char *const statuses[] = {
		"referred", "involved", "advice received", "closed",
	};
	struct rng *r = &k->r;
	struct agency a;
	int s = rng_weighted(r, status_w, NELEM(status_w)), ret;

	memset(&a, 0, sizeof a);
	a.pupil_id = k->p.id;
	snprintf(a.agency, sizeof a.agency, "%s", agencies[which].name);
	a.referred_on = school_day(b->today - rng_int(r, 14, 500));
	a.referred_on = max_date(a.referred_on, k->entry);
	a.referred_on = min_date(a.referred_on, b->today);
	a.advice_on = SDATE_NONE;
	if (s >= 2) {
		a.advice_on = max_date(school_day(a.referred_on +
		    rng_int(r, 42, 150)), a.referred_on);
		if (a.advice_on > b->today) {
			a.advice_on = SDATE_NONE;
			s = 1;
		}
	}
	snprintf(a.status, sizeof a.status, "%s", statuses[s]);
	if (s >= 1)
		a.notes = xstrdup(agencies[which].notes);
	ret = agency_add(b->db, &a, e);
	agency_free(&a);
	return ret;
}

int
demo_add_agencies(struct build *b, struct kid *k, struct serr *e)
{
	struct rng *r = &k->r;
	int ret;

	if ((k->p.flags & FLAG_CIC) &&
	    (ret = add_agency(b, k, AG_VIRTUAL, e)) != 0)
		return ret;
	if (k->p.status == 'N' ||
	    !rng_chance(r, k->p.status == 'E' ? 0.85 : 0.3))
		return 0;
	for (int i = 0; i < NELEM(need_agencies); i++) {
		const int *ag = need_agencies[i].agency;

		if (strcmp(need_agencies[i].need, k->p.needs[0]) != 0)
			continue;
		if ((ret = add_agency(b, k, ag[0], e)) != 0)
			return ret;
		if (ag[1] >= 0 && rng_chance(r, k->p.status == 'E' ? 0.6 :
		    0.2) && (ret = add_agency(b, k, ag[1], e)) != 0)
			return ret;
		break;
	}
	return 0;
}

static int
add_note(struct build *b, struct kid *k, const struct note_tpl *nt,
    sdate on, const char *author, struct serr *e)
{
	struct note n;
	int ret;

	memset(&n, 0, sizeof n);
	n.pupil_id = k->p.id;
	n.on = on;
	snprintf(n.kind, sizeof n.kind, "%s", nt->kind);
	n.text = fill_dup(nt->text, k);
	db_set_author(b->db, author);
	ret = note_add(b->db, &n, e);
	db_set_author(b->db, demo_sencos[k->site->senco]);
	note_free(&n);
	return ret;
}

static sdate
note_date(struct build *b, struct kid *k)
{
	sdate d = school_day(b->today - rng_int(&k->r, 0, 300));

	return min_date(max_date(d, k->entry), b->today);
}

int
demo_add_notes(struct build *b, struct kid *k, struct serr *e)
{
	struct rng *r = &k->r;
	const char *senco = demo_sencos[k->site->senco];
	int n, ret;

	if (k->p.status == 'N' && !k->removed) {
		if (!rng_chance(r, 0.03))
			return 0;
		return add_note(b, k, &PICK(r, watch_notes), note_date(b, k),
		    demo_teachers[k->site->staff], e);
	}
	n = k->removed ? rng_int(r, 1, 2) : rng_int(r, 1, 4);
	for (int i = 0; i < n; i++) {
		const char *who = rng_chance(r, 0.75) ? senco :
		    demo_teachers[(k->site->staff + i) % demo_n_teachers];

		if ((ret = add_note(b, k, &PICK(r, sen_notes), note_date(b, k),
		    who, e)) != 0)
			return ret;
	}
	if (k->p.status == 'E' && rng_chance(r, 0.7))
		return add_note(b, k, &ehcp_note, note_date(b, k), senco, e);
	return 0;
}

/* Suspensions, more often for pupils with SEMH needs; rarely permanent. */
int
demo_add_exclusions(struct build *b, struct kid *k, struct serr *e)
{
	struct rng *r = &k->r;
	struct exclusion x;
	double p = k->p.status == 'N' ? 0.006 : k->p.status == 'K' ? 0.04 :
	    0.05;
	int n, ret = 0;

	if (k->year == 0)
		return 0;
	if (k->p.n_needs > 0 && k->p.status != 'N' &&
	    strcmp(k->p.needs[0], "SEMH") == 0)
		p *= 3;
	if (!rng_chance(r, p))
		return 0;
	n = rng_chance(r, 0.3) ? 2 : 1;
	for (int i = 0; i < n && ret == 0; i++) {
		sdate ay0 = date_from_ymd(b->ay, 9, 5);

		memset(&x, 0, sizeof x);
		x.pupil_id = k->p.id;
		x.on = school_day(b->today - rng_int(r, 1, b->today > ay0 ?
		    b->today - ay0 : 30));
		x.kind = EXCLUSION_SUSPENSION;
		x.sessions = rng_int(r, 1, 10);
		if (rng_chance(r, k->year >= 7 ? 0.02 : 0.005)) {
			/* Still on roll while the governors review it. */
			x.kind = EXCLUSION_PERMANENT;
			x.sessions = 0;
			x.on = school_day(b->today - rng_int(r, 1, 14));
		}
		x.reason = xstrdup(PICK(r, exclusion_reasons));
		ret = exclusion_add(b->db, &x, e);
		exclusion_free(&x);
	}
	return ret;
}
