import type { Product, ProductOption, ProductUpdateEvent } from "@octo-webhooks/core";
import { type FactoryOptions, hasPricing, pricing, productOf, supplierOf, webhookEcho } from "./shared.ts";

/** Options of {@link productUpdate}; every one has a default. */
export interface ProductUpdateOptions extends FactoryOptions {
  /** Fields of the default option (`DEFAULT`) to override, e.g. `{ internalName }` for a renamed option. */
  option?: Partial<ProductOption>;
  /** Product fields to override, applied last (shallow). */
  product?: Partial<Product>;
}

const unit = (id: "adult" | "child", minAge: number, maxAge: number, withPricing: boolean) => ({
  id,
  internalName: id === "adult" ? "Adult" : "Child",
  reference: null,
  type: id.toUpperCase(),
  restrictions: {
    minAge,
    maxAge,
    idRequired: false,
    minQuantity: null,
    maxQuantity: id === "adult" ? 10 : null,
    paxCount: 1,
    accompaniedBy: id === "child" ? ["adult"] : [],
  },
  requiredContactFields: [],
  ...(withPricing ? { pricingFrom: [pricing(id === "adult" ? 4500 : 2500)] } : {}),
});

/**
 * A realistic `product_update` body: the product of the seed (the one `bookingUpdate` and
 * `availabilityUpdate` of the same seed name) with two options and their units, valid against OCTO's
 * strict schema (`strictSchemas.ProductUpdate`) and the same for the same options.
 *
 * @example
 * ```ts
 * import { productUpdate } from "@octo-webhooks/testing";
 *
 * const body = productUpdate({ option: { internalName: "Harbour cruise with lunch (3h)" } }); // an option renamed
 * await webhooks.receive(body); // runs your onProductUpdate
 * ```
 */
export function productUpdate(options: ProductUpdateOptions = {}): ProductUpdateEvent {
  const { productId, optionId, start } = productOf(options);
  const withPricing = hasPricing(options);
  const startTime = start.toISOString().slice(11, 16);
  const product: Product = {
    id: productId,
    internalName: "Harbour Cruise",
    reference: "HC-1",
    locale: "en-GB",
    timeZone: "Europe/London",
    allowFreesale: false,
    instantConfirmation: true,
    instantDelivery: true,
    availabilityRequired: true,
    availabilityType: "START_TIME",
    deliveryFormats: ["QRCODE", "PDF_URL"],
    deliveryMethods: ["VOUCHER", "TICKET"],
    redemptionMethod: "DIGITAL",
    options: [
      {
        id: optionId,
        default: true,
        internalName: "Harbour cruise (2h)",
        reference: null,
        availabilityLocalStartTimes: [startTime, "14:00"],
        cancellationCutoff: "24 hours",
        cancellationCutoffAmount: 24,
        cancellationCutoffUnit: "hour",
        requiredContactFields: ["firstName", "lastName"],
        restrictions: { minUnits: 1, maxUnits: null },
        units: [unit("adult", 18, 99, withPricing), unit("child", 3, 17, withPricing)],
        ...options.option,
      },
      {
        id: "PRIVATE",
        default: false,
        internalName: "Private charter",
        reference: null,
        availabilityLocalStartTimes: [],
        cancellationCutoff: "2 days",
        cancellationCutoffAmount: 2,
        cancellationCutoffUnit: "day",
        requiredContactFields: ["firstName", "lastName", "emailAddress"],
        restrictions: { minUnits: null, maxUnits: 12 },
        units: [unit("adult", 18, 99, withPricing)],
      },
    ],
    ...(withPricing ? { defaultCurrency: "EUR", availableCurrencies: ["EUR"] } : {}),
    ...options.product,
  };
  const body: ProductUpdateEvent = { webhook: webhookEcho("product_update", options), product };
  const supplier = supplierOf(options);
  if (supplier !== undefined) body.supplier = supplier;
  return body;
}
