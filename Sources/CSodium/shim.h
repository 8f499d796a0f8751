// libsodium (Debian's libsodium-dev): the Ed25519 verification JS SSB uses (sodium-native,
// chloride), so verdicts on edge cases (non-canonical signatures, small-order keys) are JS's.
#include <sodium.h>
