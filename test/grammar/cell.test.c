// SYNTAX TEST "source.jailhouse-cell" "designators, constants and region names"
config = {
    .mem_regions = {
//  ^ punctuation.separator.designator.jailhouse
//   ^^^^^^^^^^^ variable.other.member.designator.jailhouse
        /* UART */ {
//         ^^^^ entity.name.section.region-name.jailhouse
//      ^^ punctuation.definition.comment.begin.c
            .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_IO,
//           ^^^^^ variable.other.member.designator.jailhouse
//                   ^^^^^^^^^^^^^^^^^^ constant.language.jailhouse
//                                        ^^^^^^^^^^^^^^^^ constant.language.jailhouse
            .id = PCI_CAP_ID_MSI,
//                ^^^^^^^^^^^^^^ constant.language.jailhouse
            .num_irqchips = ARRAY_SIZE(config.irqchips),
//                          ^^^^^^^^^^ support.function.jailhouse
        },
        /* a plain comment */
//         ^^^^^^^ - entity.name.section.region-name.jailhouse
        "JAILHOUSE_MEM_READ"
//       ^^^^^^^^^^^^^^^^^^ - constant.language.jailhouse
    },
};
