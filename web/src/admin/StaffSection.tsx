// PLACEHOLDER until its section is built (issue 12); must not remain at the stop.
export default function StaffSection() {
  return null;
}
