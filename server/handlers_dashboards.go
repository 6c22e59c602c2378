package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/report"
	"github.com/credolabs/credo/tenants"
)

var errDashboardsDisabled = newAPIError(fiber.StatusServiceUnavailable, "dashboards_disabled", "Dashboards are not enabled on this server.")

// dashboard checks the caller's right to view dashboard :key and returns its current
// version. The figures themselves go through the record service, so row scopes and field
// permissions apply to every aggregate too.
func (s *Server) dashboard(c *fiber.Ctx) (*report.Dashboard, error) {
	if s.deps.Dashboards == nil {
		return nil, errDashboardsDisabled
	}
	key := c.Params("key")
	if err := s.require(c, tenants.ScopeRecordsRead, "dashboard:"+key, tenants.ActionRead); err != nil {
		return nil, err
	}
	return s.deps.Dashboards.Latest(c.UserContext(), c.Params("tenant"), key)
}

// dashboardParams reads the dashboard filters and locale from the query:
// locale=en&filter.period.from=2026-01-01&filter.period.to=2026-03-31&filter.channel=online,partner.
func dashboardParams(c *fiber.Ctx) report.Params {
	p := report.Params{Locale: c.Query("locale"), Filters: map[string]report.FilterValue{}}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		name, ok := strings.CutPrefix(string(k), "filter.")
		if !ok {
			return
		}
		id, part, _ := strings.Cut(name, ".")
		fv := p.Filters[id]
		switch part {
		case "from":
			fv.From = string(v)
		case "to":
			fv.To = string(v)
		default:
			for _, x := range strings.Split(string(v), ",") {
				if x != "" {
					fv.Values = append(fv.Values, x)
				}
			}
		}
		p.Filters[id] = fv
	})
	return p
}

// dashboardHead is what a viewer needs to lay a dashboard out: its names, its filters
// and its widget ids (the figures come widget by widget).
func dashboardHead(d *report.Dashboard) fiber.Map {
	def := d.Definition()
	filters := def.Filters
	if filters == nil {
		filters = []report.FilterDef{}
	}
	return fiber.Map{"key": d.Key(), "version": d.Version(), "name": def.Name, "description": def.Description,
		"filters": filters, "widgets": d.Widgets(), "forms": d.Forms()}
}

func (s *Server) getDashboard(c *fiber.Ctx) error {
	d, err := s.dashboard(c)
	if err != nil {
		return err
	}
	return c.JSON(dashboardHead(d))
}

// listDashboards lists the published dashboards the caller may view.
func (s *Server) listDashboards(c *fiber.Ctx) error {
	if s.deps.Dashboards == nil {
		return errDashboardsDisabled
	}
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	tenant := c.Params("tenant")
	defs, err := s.deps.Builder.List(c.UserContext(), tenant, builder.KindDashboard)
	if err != nil {
		return err
	}
	p := principal(c)
	out := make([]fiber.Map, 0, len(defs))
	for _, def := range defs {
		if def.Latest == 0 {
			continue
		}
		err := s.deps.Tenants.Check(c.UserContext(), tenant, p.UserID, "dashboard:"+def.Key, tenants.ActionRead)
		var denied *tenants.ForbiddenError
		if errors.As(err, &denied) {
			continue
		}
		if err != nil {
			return err
		}
		d, err := s.deps.Dashboards.Latest(c.UserContext(), tenant, def.Key)
		if err != nil {
			return err
		}
		out = append(out, dashboardHead(d))
	}
	return c.JSON(fiber.Map{"dashboards": out})
}

// widgetData answers one widget's figures as JSON.
func (s *Server) widgetData(c *fiber.Ctx) error {
	d, err := s.dashboard(c)
	if err != nil {
		return err
	}
	data, err := s.deps.Reports.Render(c.UserContext(), s.actor(c), d, c.Params("id"), dashboardParams(c))
	if err != nil {
		return err
	}
	return c.JSON(data)
}

// widgetChart draws one widget as SVG or PNG.
func (s *Server) widgetChart(c *fiber.Ctx) error {
	d, err := s.dashboard(c)
	if err != nil {
		return err
	}
	format := c.Params("format")
	if format != "svg" && format != "png" {
		return newAPIError(fiber.StatusNotFound, "not_found", "Charts are drawn as .svg or .png.")
	}
	data, err := s.deps.Reports.Render(c.UserContext(), s.actor(c), d, c.Params("id"), dashboardParams(c))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.RenderChart(data, format, &buf); err != nil {
		return err
	}
	if format == "svg" {
		c.Set(fiber.HeaderContentType, "image/svg+xml")
	} else {
		c.Set(fiber.HeaderContentType, "image/png")
	}
	c.Set(fiber.HeaderCacheControl, "private, max-age=1")
	return c.Send(buf.Bytes())
}

// widgetDrill lists the records behind one figure: category is the clicked group as a
// JSON array (as the widget's data gives it), series the measure. The list is the
// ordinary record list, so the caller sees only the records and fields they may.
func (s *Server) widgetDrill(c *fiber.Ctx) error {
	d, err := s.dashboard(c)
	if err != nil {
		return err
	}
	pt := report.Point{Series: c.Query("series")}
	if raw := c.Query("category"); raw != "" {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&pt.Category); err != nil {
			return newAPIError(fiber.StatusBadRequest, "invalid_query", "category must be a JSON array of the group's values.",
				FieldProblem{Path: "category", Code: "type", Message: "must be a JSON array"})
		}
	}
	target, err := report.Drill(d, c.Params("id"), pt, dashboardParams(c))
	if err != nil {
		return err
	}
	q := form.ListQuery{Filter: target.Filter, Cursor: c.Query("cursor"), Sort: parseSort(c.Query("sort"))}
	if q.Limit, err = queryLimit(c); err != nil {
		return err
	}
	page, err := s.deps.Forms.List(c.UserContext(), s.actor(c), target.Form, q)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"form": target.Form, "filter": target.Filter, "records": page.Records, "next": page.Next})
}

// classifyReports maps the report runtime's errors.
func classifyReports(err error) (int, ErrorDetail, bool) {
	var pe *report.ParamsError
	var de *report.DashboardError
	switch {
	case errors.As(err, &pe):
		return fiber.StatusBadRequest, ErrorDetail{Code: "invalid_query", Message: "The dashboard filters are not valid; see fields.",
			Fields: formProblems(pe.Problems)}, true
	case errors.As(err, &de):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "invalid_definition", Message: "The dashboard is not valid; see fields.",
			Fields: formProblems(de.Problems)}, true
	case errors.Is(err, report.ErrNotPublished), errors.Is(err, report.ErrUnknownWidget):
		return fiber.StatusNotFound, ErrorDetail{Code: "not_found", Message: "No such dashboard or widget."}, true
	case errors.Is(err, report.ErrUnknownPoint):
		return fiber.StatusBadRequest, ErrorDetail{Code: "invalid_query", Message: "The widget has no such category or series.",
			Fields: []FieldProblem{{Path: "category", Code: "unknown_point", Message: "names no figure of this widget"}}}, true
	}
	return 0, ErrorDetail{}, false
}

// previewWidget computes and draws one widget of the dashboard definition in the body —
// a designer's unsaved draft — compiled as a publish would compile it (its problems
// answered the same way), figured under the caller's own record rights, nothing stored.
// It answers the widget's data and its chart as SVG text.
func (s *Server) previewWidget(c *fiber.Ctx) error {
	if s.deps.Dashboards == nil || s.deps.Reports == nil {
		return errDashboardsDisabled
	}
	if err := s.require(c, tenants.ScopeDefinitionsRead, objDefinitions, tenants.ActionRead); err != nil {
		return err
	}
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	d, err := s.deps.Dashboards.Compile(c.UserContext(), c.Params("tenant"), c.Params("key"), body)
	if err != nil {
		return err
	}
	data, err := s.deps.Reports.Render(c.UserContext(), s.actor(c), d, c.Params("id"), dashboardParams(c))
	if err != nil {
		return err
	}
	var svg bytes.Buffer
	if err := report.RenderChart(data, "svg", &svg); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": data, "svg": svg.String()})
}
