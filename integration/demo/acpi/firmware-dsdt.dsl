/*
 * SPDX-License-Identifier: MIT
 * The demo laptop's DSDT as its firmware ships it: the lid device's _LID
 * always answers "closed", so the machine suspends as soon as it boots.
 * (A stand-in for /sys/firmware/acpi/tables/DSDT, disassembled with iasl -d.)
 */
DefinitionBlock ("", "DSDT", 2, "FWKDMO", "LAPTOP01", 0x00000007)
{
    Scope (\_SB)
    {
        Device (LID0)
        {
            Name (_HID, EisaId ("PNP0C0D"))
            Method (_LID, 0, NotSerialized)
            {
                Return (Zero)
            }
        }
    }
}
