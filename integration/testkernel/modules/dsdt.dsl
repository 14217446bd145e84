/* SPDX-License-Identifier: MIT */
/* dsdt.dsl - the test kernel's demo ACPI table: a small DSDT adding one
 * device, FWK0003, for the boot pipeline to check and hand on. */
DefinitionBlock ("", "DSDT", 2, "FWKIT ", "TESTKRNL", 0x00000001)
{
    Scope (\_SB)
    {
        Device (FWKT)
        {
            Name (_HID, "FWK0003")
            Name (_UID, One)
            Name (_STA, 0x0F)
        }
    }
}
