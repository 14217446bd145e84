/* SPDX-License-Identifier: MIT */
/*
 * virt.dsl - a DSDT written by hand for QEMU 7.2's arm64 virt machine
 * (GICv3, 2 CPUs): pl011 at 0x09000000 on SPI 1, 32 virtio-mmio
 * transports from 0x0a000000 (0x200 apart) on SPI 16.., the PCIe host
 * bridge with its windows and slot 0's INTx on SPI 3..6, as QEMU's own
 * device tree describes them.  test_vm_parity compiles it with iasl; one
 * -D name each gives a variant with one deliberate difference:
 *   MOVED_UART      the UART at 0x09001000
 *   CHANGED_IRQ     virtio transport 5 on INTID 0x50 instead of 0x35
 *   MISSING_VIRTIO  no transport 31
 *   METHOD_CRS      the UART's _CRS a Method (unreadable without AML)
 *   SCOPE_CRS       the bridge's _CRS declared after it, in a Scope
 */
DefinitionBlock ("", "DSDT", 2, "FWKTST", "VIRTDSDT", 1)
{
    Scope (\_SB)
    {
        Device (CPU0)
        {
            Name (_HID, "ACPI0007")
            Name (_UID, Zero)
        }

        Device (CPU1)
        {
            Name (_HID, "ACPI0007")
            Name (_UID, One)
        }

        Device (COM0)
        {
            Name (_HID, "ARMH0011")
            Name (_UID, Zero)
#ifdef METHOD_CRS
            Method (_CRS, 0, Serialized)
            {
                Name (RBUF, ResourceTemplate ()
                {
                    Memory32Fixed (ReadWrite, 0x09000000, 0x00001000)
                    Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 0x21 }
                })
                Return (RBUF)
            }
#else
            Name (_CRS, ResourceTemplate ()
            {
#ifdef MOVED_UART
                Memory32Fixed (ReadWrite, 0x09001000, 0x00001000)
#else
                Memory32Fixed (ReadWrite, 0x09000000, 0x00001000)
#endif
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 0x21 }
            })
#endif
        }

        Device (VR00)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 0)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A000000, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x30 }
            })
        }

        Device (VR01)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 1)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A000200, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x31 }
            })
        }

        Device (VR02)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 2)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A000400, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x32 }
            })
        }

        Device (VR03)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 3)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A000600, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x33 }
            })
        }

        Device (VR04)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 4)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A000800, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x34 }
            })
        }

        Device (VR05)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 5)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A000A00, 0x00000200)
#ifdef CHANGED_IRQ
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x50 }
#else
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x35 }
#endif
            })
        }

        Device (VR06)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 6)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A000C00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x36 }
            })
        }

        Device (VR07)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 7)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A000E00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x37 }
            })
        }

        Device (VR08)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 8)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A001000, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x38 }
            })
        }

        Device (VR09)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 9)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A001200, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x39 }
            })
        }

        Device (VR0A)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 10)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A001400, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x3A }
            })
        }

        Device (VR0B)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 11)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A001600, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x3B }
            })
        }

        Device (VR0C)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 12)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A001800, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x3C }
            })
        }

        Device (VR0D)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 13)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A001A00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x3D }
            })
        }

        Device (VR0E)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 14)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A001C00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x3E }
            })
        }

        Device (VR0F)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 15)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A001E00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x3F }
            })
        }

        Device (VR10)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 16)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A002000, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x40 }
            })
        }

        Device (VR11)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 17)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A002200, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x41 }
            })
        }

        Device (VR12)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 18)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A002400, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x42 }
            })
        }

        Device (VR13)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 19)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A002600, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x43 }
            })
        }

        Device (VR14)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 20)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A002800, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x44 }
            })
        }

        Device (VR15)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 21)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A002A00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x45 }
            })
        }

        Device (VR16)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 22)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A002C00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x46 }
            })
        }

        Device (VR17)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 23)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A002E00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x47 }
            })
        }

        Device (VR18)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 24)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A003000, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x48 }
            })
        }

        Device (VR19)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 25)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A003200, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x49 }
            })
        }

        Device (VR1A)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 26)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A003400, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x4A }
            })
        }

        Device (VR1B)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 27)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A003600, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x4B }
            })
        }

        Device (VR1C)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 28)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A003800, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x4C }
            })
        }

        Device (VR1D)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 29)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A003A00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x4D }
            })
        }

        Device (VR1E)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 30)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A003C00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x4E }
            })
        }

#ifndef MISSING_VIRTIO
        Device (VR1F)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 31)
            Name (_CCA, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0A003E00, 0x00000200)
                Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 0x4F }
            })
        }
#endif

        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CID, EisaId ("PNP0A03"))
            Name (_SEG, Zero)
            Name (_BBN, Zero)
            Name (_UID, Zero)
            Name (_CCA, One)
            /* slot N, pin P on SPI 3 + (N + P) % 4: INTID 35..38 */
            Name (_PRT, Package ()
            {
                Package () { 0x0000FFFF, Zero, Zero, 0x23 },
                Package () { 0x0000FFFF, One, Zero, 0x24 },
                Package () { 0x0000FFFF, 0x02, Zero, 0x25 },
                Package () { 0x0000FFFF, 0x03, Zero, 0x26 },
                Package () { 0x0001FFFF, Zero, Zero, 0x24 },
                Package () { 0x0001FFFF, One, Zero, 0x25 },
                Package () { 0x0001FFFF, 0x02, Zero, 0x26 },
                Package () { 0x0001FFFF, 0x03, Zero, 0x23 }
            })
            Method (_STA, 0, NotSerialized)
            {
                Return (0x0F)
            }
#ifndef SCOPE_CRS
            Name (_CRS, ResourceTemplate ()
            {
                WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                    0x0000, 0x0000, 0x00FF, 0x0000, 0x0100)
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                    0x00000000, 0x10000000, 0x3EFEFFFF, 0x00000000, 0x2EFF0000)
                DWordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                    0x00000000, 0x00000000, 0x0000FFFF, 0x3EFF0000, 0x00010000)
                QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
                    0x0000000000000000, 0x0000008000000000, 0x000000FFFFFFFFFF,
                    0x0000000000000000, 0x0000008000000000)
            })
#endif
        }

        Device (RES0)
        {
            Name (_HID, "PNP0C02")
            Name (_CRS, ResourceTemplate ()
            {
                QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                    0x0000000000000000, 0x0000004010000000, 0x000000401FFFFFFF,
                    0x0000000000000000, 0x0000000010000000)
            })
        }
    }
#ifdef SCOPE_CRS

    Scope (\_SB.PCI0)
    {
        Name (_CRS, ResourceTemplate ()
        {
            WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                0x0000, 0x0000, 0x00FF, 0x0000, 0x0100)
            DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                0x00000000, 0x10000000, 0x3EFEFFFF, 0x00000000, 0x2EFF0000)
            DWordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                0x00000000, 0x00000000, 0x0000FFFF, 0x3EFF0000, 0x00010000)
            QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
                0x0000000000000000, 0x0000008000000000, 0x000000FFFFFFFFFF,
                0x0000000000000000, 0x0000008000000000)
        })
    }
#endif
}
