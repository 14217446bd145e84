/*
 * SPDX-License-Identifier: MIT
 * The demo laptop's DSDT, fixed: _LID reads the lid switch (here: open).
 * Same OEM ID and OEM table ID as the firmware's, OEM revision raised from 7
 * to 8, so that Linux's initrd table upgrade overrides the firmware table.
 */
DefinitionBlock ("", "DSDT", 2, "FWKDMO", "LAPTOP01", 0x00000008)
{
    Scope (\_SB)
    {
        Device (LID0)
        {
            Name (_HID, EisaId ("PNP0C0D"))
            Method (_LID, 0, NotSerialized)
            {
                Return (One)
            }
        }
    }
}
