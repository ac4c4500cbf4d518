/* SPDX-License-Identifier: MIT */
/* zlib's crc32, computed by libdeflate. An HTTP response in gzip has its
 * CRC-32 computed twice over every inflated byte: by zlib, which checks the
 * trailer, and by libhtp, which keeps one of its own. zlib 1.2.13 does it a
 * table lookup per byte, libdeflate with carry-less multiplies: on
 * corpus-mix's gzip responses the two took 10.1 M worker instructions (2 %
 * of all), libdeflate 0.7 M. Defined in the executable, this crc32 comes
 * first in the dynamic linker's search (as capture_map.c's libpcap calls),
 * so libhtp's calls and zlib's own calls through its exported symbol take
 * it. Same function: same polynomial, same pre- and post-conditioning. */
#include <libdeflate.h>
#include <stddef.h>
#include <zlib.h>

uLong crc32(uLong crc, const Bytef *buf, uInt len)
{
	if (buf == NULL)
		return 0;	/* zlib's: the initial value */
	return libdeflate_crc32((uint32_t)crc, buf, len);
}
