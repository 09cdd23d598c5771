// Column descriptions are upstream's SwaggerDoc() texts; the client-node models carry the same
// texts, so we read them from the generated model file instead of copying them by hand.
import models from '../../../openapi/models.generated.json' with { type: 'json' };

type Models = Record<string, { description?: string; properties?: Record<string, { description?: string }> }>;

/** The description of field `field` of model `model` ('' when the model has none, e.g. for $ref fields). */
export function swaggerDoc(model: string, field: string): string {
  return (models as Models)[model]?.properties?.[field]?.description ?? '';
}
