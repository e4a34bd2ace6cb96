export interface Product {
  id: string;
  name: string;
  category: string;
  price_cents: number;
  updated_at: string;
}

export interface CreateProductBody {
  name?: unknown;
  category?: unknown;
  priceCents?: unknown;
}
