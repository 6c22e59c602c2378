package server

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPI is the API's OpenAPI 3.1 document. A test fails when a route is missing from it.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(openAPI)
}
