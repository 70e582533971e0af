import { describe, expect, it } from 'vitest';
import { paletteColor, validateLogoUrl, validateOptionalSlug, validateSpaceName } from './space-form';

describe('space form validation', () => {
  it('names the problem with the name', () => {
    expect(validateSpaceName('  ')).toBe('Enter a name for the space');
    expect(validateSpaceName('x'.repeat(65))).toBe('Name must be at most 64 characters');
    expect(validateSpaceName('Payments API')).toBeNull();
  });

  it('treats an empty slug as "derive it from the name"', () => {
    expect(validateOptionalSlug('')).toBeNull();
    expect(validateOptionalSlug('payments')).toBeNull();
    expect(validateOptionalSlug('Payments API')).toBe('Use lowercase letters, digits and single dashes');
  });

  it('accepts https logo URLs only', () => {
    expect(validateLogoUrl('')).toBeNull();
    expect(validateLogoUrl('https://cdn.example.com/logo.png')).toBeNull();
    expect(validateLogoUrl('http://cdn.example.com/logo.png')).toBe('Logo URL must be an https:// URL');
    expect(validateLogoUrl('javascript:alert(1)')).toBe('Logo URL must be an https:// URL');
    expect(validateLogoUrl('not a url')).toBe('Logo URL must be an https:// URL');
  });

  it('finds palette colours whatever their case', () => {
    expect(paletteColor('#4f46e5')).toBe('#4F46E5');
    expect(paletteColor('#123456')).toBeNull();
  });
});
