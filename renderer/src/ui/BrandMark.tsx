/** Logo and product name as the header shows them; the same component draws the live preview. */
export function BrandMark({ productName, logo, testId }: { productName: string; logo: string | null; testId?: string }) {
  return (
    <span className="brand-mark">
      {logo && <img className="brand-logo" src={logo} alt={`${productName} logo`} />}
      <span className="brand" data-testid={testId}>
        {productName}
      </span>
    </span>
  );
}
