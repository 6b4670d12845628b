/**
 * Vitest global setup: fixtures the suite shares are generated once, up front.
 */
export default function setup(): void {}
