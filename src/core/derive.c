/*
 * derive.c: the figures derived from the records (DOMAIN.md rules): the
 * rating a target needs to be on track, overdue reviews, provision costs,
 * intervention impact and money formatting. Pure functions, no database,
 * so each rule is tested on its own.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "derive.h"

/*
 * num / den rounded to the nearest integer, halves away from zero (so
 * "half up" for the non-negative amounts we deal in), in integers: floating
 * point would turn 0.5p into 0.49999... on some amounts. den > 0.
 */
static int64_t
div_round(int64_t num, int64_t den)
{
	if (num < 0)
		return -((-num * 2 + den) / (den * 2));
	return (num * 2 + den) / (den * 2);
}

/*
 * The rating a target needs today to be on track. With planned = plan_end -
 * plan_start days and elapsed = today - plan_start clamped to 0..planned:
 *
 *     required = (8 * elapsed + planned) / (2 * planned)   (integer division)
 *
 * which is round(4 * elapsed / planned) with halves rounded up, then
 * clamped to 0..4. A plan of zero (or negative) length needs 4 from its end
 * day on and 0 before. register.c computes the same figure in SQL for the
 * register; keep the two identical.
 */
int
derive_required_rating(sdate plan_start, sdate plan_end, sdate today)
{
	int64_t planned, elapsed, r;

	if (plan_start == SDATE_NONE || plan_end == SDATE_NONE ||
	    today == SDATE_NONE)
		return 0;
	planned = (int64_t)plan_end - plan_start;
	if (planned <= 0)
		return today >= plan_end ? RATING_MAX : 0;
	elapsed = (int64_t)today - plan_start;
	if (elapsed < 0)
		elapsed = 0;
	if (elapsed > planned)
		elapsed = planned;
	r = (8 * elapsed + planned) / (2 * planned);
	if (r < 0)
		r = 0;
	if (r > RATING_MAX)
		r = RATING_MAX;
	return (int)r;
}

bool
derive_on_track(int latest, sdate plan_start, sdate plan_end, sdate today)
{
	if (latest < 0)
		latest = 0;
	return latest >= derive_required_rating(plan_start, plan_end, today);
}

bool
derive_review_overdue(sdate review_date, sdate today)
{
	return review_date != SDATE_NONE && review_date < today;
}

int64_t
derive_session_cost_pence(const struct intervention *iv,
    const struct enrolment *en)
{
	int64_t group = en->group_size < 1 ? 1 : en->group_size;

	if (iv->basis == COST_PER_HOUR)
		return div_round(iv->cost_pence * en->minutes, 60 * group);
	return div_round(iv->cost_pence, group);
}

int64_t
derive_enrolment_cost_year_pence(const struct intervention *iv,
    const struct enrolment *en)
{
	return derive_session_cost_pence(iv, en) * en->sessions_per_week *
	    SCHOOL_WEEKS_PER_YEAR;
}

double
derive_impact(const struct enrolment *en)
{
	if (isnan(en->entry) || isnan(en->exit))
		return NAN;
	return en->exit - en->entry;
}

double
derive_ratio_gain(const struct enrolment *en)
{
	int months;

	if (en->measure_kind != MEASURE_AGE || isnan(en->entry) ||
	    isnan(en->exit) || en->start == SDATE_NONE ||
	    en->end == SDATE_NONE)
		return NAN;
	months = date_months_between(en->start, en->end);
	if (months < 1)
		return NAN;
	return (en->exit - en->entry) / months;
}

/*
 * Returns buf. The magnitude is taken as unsigned so INT64_MIN formats
 * too; a buffer that is too small gets a cut (but terminated) string.
 */
char *
derive_money(int64_t pence, char *buf, size_t n)
{
	char digits[32], grouped[48];
	uint64_t mag = pence < 0 ? (uint64_t)0 - (uint64_t)pence :
	    (uint64_t)pence;
	size_t len, j = 0;

	if (n == 0)
		return buf;
	snprintf(digits, sizeof digits, "%llu",
	    (unsigned long long)(mag / 100));
	len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	snprintf(buf, n, "%s\xc2\xa3%s.%02u", pence < 0 ? "-" : "", grouped,
	    (unsigned)(mag % 100));
	return buf;
}
