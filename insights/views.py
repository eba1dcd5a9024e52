from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.roles import staff_required

from . import periods, queries
from .cached import cached
from .exports import write_chart_csv
from .report import report


def _period(request) -> tuple[periods.Period, str]:
    """The period asked for in ``?period=``, or the last 12 months and an error message."""
    key = request.GET.get("period", "12m")
    try:
        return periods.period(key), ""
    except ValueError:
        return periods.period("12m"), _("Choose one of the periods in the list.")


@staff_required
@require_safe
def overview(request):
    period, error = _period(request)

    def draw_charts() -> str:
        charts = cached("charts", [period.key, period.start], lambda: queries.charts(period))
        return "".join(
            render_to_string("insights/partials/chart.html", {"chart": chart, "period": period})
            for chart in charts
        )

    # The charts as drawn, under the same key as their figures: drawing them (SVG and tables)
    # cost more than the figures' queries.
    charts_html = cached("charts-html", [period.key, period.start], draw_charts)
    context = {
        "period": period,
        "period_choices": periods.choices(),
        "error": error,
        "charts_html": mark_safe(charts_html),  # noqa: S308 - rendered by our own template
        "report_years": [int(key) for key, _label in periods.choices() if key.isdigit()],
    }
    return render(request, "insights/overview.html", context, status=400 if error else 200)


@staff_required
@require_safe
def chart_csv(request, chart):
    build = queries.CHARTS.get(chart)
    if build is None:
        raise Http404
    period, error = _period(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    if chart == "invitations":  # every check-in of the period, not only the last ones drawn
        data = queries.check_in_invitations(period, limit=None)
    else:
        data = cached("charts", [period.key, period.start], lambda: queries.charts(period))
        data = next(item for item in data if item.slug == chart)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{chart}-{period.key}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_chart_csv(data, response)
    return response


@staff_required
@require_safe
def annual_report(request, year):
    if not periods.FIRST_YEAR - 20 <= year <= timezone.localdate().year:
        raise Http404
    return render(request, "insights/report.html", report(year))
